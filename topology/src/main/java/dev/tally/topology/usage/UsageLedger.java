package dev.tally.topology.usage;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.usage.FeatureUsage;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import dev.tally.schemas.usage.UsageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The usage rules, in plain Java: does this usage fit, and what is recorded. Called with the requests of
 * one workspace one after another (the engine guarantees that); nothing here knows Kafka.
 *
 * <p>A usage request is checked against every scope it touches whose sources define a limit (its
 * namespace, if any, and its workspace), and charged to all of them or to none. What must fit is usage
 * plus live reservations plus the amount. A scope without a limit is not counted. If no scope has a limit
 * the request is rejected: an unknown feature fails closed.
 */
public final class UsageLedger {

    /** A read reports at most this many accounts of one workspace: a bound on every scan. */
    public static final int MAX_ACCOUNTS_PER_READ = 1_000;

    private final AccountStore store;
    private final UsageAlerts alerts;

    public UsageLedger(AccountStore store, UsageAlerts alerts) {
        this.store = store;
        this.alerts = alerts;
    }

    public UsageDecision setLimit(SetLimit request, long atMs) {
        AccountKey key = new AccountKey(request.workspace(), request.namespace(), request.feature());
        Account existing = store.get(key);
        Account before = existing == null ? Account.empty() : existing;
        Account updated = before.withDirect(new LimitSpec(request.limit(), request.period(), request.enforcement()));
        Scope scope = Scope.load(key, updated, atMs);
        store.put(key, scope.account());
        return UsageDecisions.on(request, DecisionCode.LIMIT_SET, atMs).message("limit set").scope(scope).build();
    }

    public UsageDecision record(RecordUsage request, long atMs) {
        long amount = request.amount();
        List<Scope> scopes = limitedScopes(request.workspace(), request.namespace(), request.feature(), atMs);
        UsageDecision refused = refuse(request, request.feature(), scopes, amount, atMs);
        if (refused != null) {
            return refused;
        }
        // The binding scope is the one with the least left after this amount (negative: over a soft limit).
        Scope binding = null;
        boolean overSoft = false;
        for (Scope scope : scopes) {
            Scope after = scope.with(scope.account().charged(amount));
            if (!request.isDryRun()) {
                after = after.with(alerts.after(after, request.requestId(), atMs));
                store.put(after.key(), after.account());
            }
            overSoft |= after.headroom() < 0;
            if (binding == null || after.headroom() < binding.headroom()) {
                binding = after;
            }
        }
        Scope reported = request.isDryRun() ? unchanged(scopes, binding) : binding;
        DecisionCode code = overSoft ? DecisionCode.SOFT_LIMIT_EXCEEDED : DecisionCode.OK;
        String message = request.isDryRun() ? "would be accepted" : "recorded";
        if (overSoft) {
            message += " over a soft limit";
        }
        return UsageDecisions.on(request, code, atMs).message(message).scope(reported)
                .overage(-binding.headroom()).build();
    }

    /**
     * The refusal of {@code amount} more (used or reserved) in {@code scopes}, or null if it is taken:
     * checked in every scope before any is charged, so both or neither.
     */
    UsageDecision refuse(UsageRequest request, String feature, List<Scope> scopes, long amount, long atMs) {
        if (scopes.isEmpty()) {
            return UsageDecisions.on(request, DecisionCode.NO_LIMIT_DEFINED, atMs)
                    .message("no limit is defined for feature '" + feature + "'").build();
        }
        for (Scope scope : scopes) {
            if (scope.limit().isDisabled()) {
                return UsageDecisions.on(request, DecisionCode.FEATURE_DISABLED, atMs)
                        .message("the feature is disabled in " + scope.key().scopeName()).scope(scope).build();
            }
            if (!scope.hasRoomInCounters(amount)) {
                // Only a soft limit lets usage grow this far; a counter that wrapped would read as room.
                return UsageDecisions.on(request, DecisionCode.QUOTA_EXCEEDED, atMs)
                        .message(amount + " does not fit: the usage counter of " + scope.key().scopeName()
                                + " is full").scope(scope).build();
            }
            if (!scope.fits(amount)) {
                return UsageDecisions.on(request, DecisionCode.QUOTA_EXCEEDED, atMs)
                        .message(amount + " does not fit: " + scope.remaining() + " of " + scope.limit().limit()
                                + " left in " + scope.key().scopeName()).scope(scope).build();
            }
        }
        return null;
    }

    /** The scopes a request on {@code feature} counts in: its namespace's and its workspace's, if limited. */
    List<Scope> limitedScopes(String workspace, String namespace, String feature, long atMs) {
        List<Scope> scopes = new ArrayList<>(2);
        if (namespace != null) {
            addIfLimited(scopes, new AccountKey(workspace, namespace, feature), atMs);
        }
        addIfLimited(scopes, AccountKey.workspaceScope(workspace, feature), atMs);
        return scopes;
    }

    private void addIfLimited(List<Scope> scopes, AccountKey key, long atMs) {
        Account account = store.get(key);
        if (account != null) {
            Scope scope = Scope.load(key, account, atMs);
            if (scope.limit().isDefined()) {
                scopes.add(scope);
            }
        }
    }

    private static Scope unchanged(List<Scope> scopes, Scope after) {
        for (Scope scope : scopes) {
            if (scope.key().equals(after.key())) {
                return scope;
            }
        }
        return after;
    }

    public UsageReport read(ReadUsage request, long atMs) {
        List<FeatureUsage> features = new ArrayList<>();
        for (AccountStore.Entry entry : store.workspaceAccounts(request.workspace(), MAX_ACCOUNTS_PER_READ)) {
            Scope scope = Scope.load(entry.key(), entry.account(), atMs);
            Account account = scope.account();
            PeriodWindow window = account.window();
            boolean metered = scope.limit().isMetered();
            features.add(new FeatureUsage(
                    entry.key().isNamespace() ? entry.key().namespace() : null,
                    entry.key().feature(),
                    scope.limit().kind(),
                    account.used(),
                    account.reserved(),
                    metered ? scope.limit().limit() : null,
                    scope.remaining(),
                    account.countedPeriod(),
                    metered ? scope.limit().enforcement() : null,
                    window.start(),
                    window.end()));
        }
        return new UsageReport(request.requestId(), request.workspace(), features, Instant.ofEpochMilli(atMs));
    }

    /** The decision for a request that broke its schema's rules: nothing is read or written. */
    public static UsageDecision invalid(UsageRequest request, List<FieldError> errors, long atMs) {
        return UsageDecisions.on(request, DecisionCode.INVALID_REQUEST, atMs)
                .message("invalid request: " + errors.size() + " field(s) at fault")
                .errors(errors)
                .build();
    }

    /** The decision for a request id already used by another request body. */
    public static UsageDecision requestIdReused(UsageRequest request, long atMs) {
        return UsageDecisions.on(request, DecisionCode.REQUEST_ID_REUSED, atMs)
                .message("requestId '" + request.requestId() + "' was already used for a different request")
                .build();
    }
}
