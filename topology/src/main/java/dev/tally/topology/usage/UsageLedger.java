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
 * <p>A usage request is checked against every scope it touches that has a limit (its namespace, if any,
 * and its workspace), and charged to all of them or to none. A scope without a limit is not counted. If no
 * scope has a limit the request is rejected: an unknown feature fails closed.
 */
public final class UsageLedger {

    /** A read reports at most this many accounts of one workspace: a bound on every scan. */
    public static final int MAX_ACCOUNTS_PER_READ = 1_000;

    private final AccountStore store;

    public UsageLedger(AccountStore store) {
        this.store = store;
    }

    public UsageDecision setLimit(SetLimit request, long atMs) {
        AccountKey key = new AccountKey(request.workspace(), request.namespace(), request.feature());
        LimitSpec spec = new LimitSpec(request.limit(), request.period(), request.enforcement());
        Account existing = store.get(key);
        Account updated = existing == null ? Account.opened(spec, atMs) : existing.withLimit(spec, atMs);
        store.put(key, updated);
        return decision(request, DecisionCode.LIMIT_SET, "limit set", key, updated, 0, atMs).build();
    }

    public UsageDecision record(RecordUsage request, long atMs) {
        long amount = request.amount();
        List<Check> checks = new ArrayList<>(2);
        if (request.namespace() != null) {
            addCheck(checks, new AccountKey(request.workspace(), request.namespace(), request.feature()), atMs);
        }
        addCheck(checks, AccountKey.workspaceScope(request.workspace(), request.feature()), atMs);
        if (checks.isEmpty()) {
            return new Builder(request, DecisionCode.NO_LIMIT_DEFINED, atMs)
                    .message("no limit is defined for feature '" + request.feature() + "'")
                    .build();
        }
        // Check every scope before charging any: both or neither.
        for (Check check : checks) {
            if (check.account.used() > Long.MAX_VALUE - amount) {
                // Only a soft limit lets usage grow this far; a counter that wrapped would read as room.
                return decision(request, DecisionCode.QUOTA_EXCEEDED,
                        amount + " does not fit: the usage counter of " + check.key.scopeName() + " is full",
                        check.key, check.account, 0, atMs).build();
            }
            if (check.isHard() && check.account.used() + amount > check.account.limit().limit()) {
                return decision(request, DecisionCode.QUOTA_EXCEEDED,
                        amount + " does not fit: " + check.account.remaining() + " of "
                                + check.account.limit().limit() + " left in " + check.key.scopeName(),
                        check.key, check.account, 0, atMs).build();
            }
        }
        // The binding scope is the one with the least left after this amount (negative: over a soft limit).
        Check binding = checks.get(0);
        Account bindingAfter = binding.account.charged(amount);
        boolean overSoft = false;
        for (Check check : checks) {
            Account after = check.account.charged(amount);
            if (!request.isDryRun()) {
                store.put(check.key, after);
            }
            overSoft |= headroom(after) < 0;
            if (headroom(after) < headroom(bindingAfter)) {
                binding = check;
                bindingAfter = after;
            }
        }
        Account reported = request.isDryRun() ? binding.account : bindingAfter;
        long overage = Math.max(0, -headroom(bindingAfter));
        DecisionCode code = overSoft ? DecisionCode.SOFT_LIMIT_EXCEEDED : DecisionCode.OK;
        String message = request.isDryRun() ? "would be accepted" : "recorded";
        if (overSoft) {
            message += " over a soft limit";
        }
        return decision(request, code, message, binding.key, reported, overage, atMs).build();
    }

    public UsageReport read(ReadUsage request, long atMs) {
        List<FeatureUsage> features = new ArrayList<>();
        for (AccountStore.Entry entry : store.workspaceAccounts(request.workspace(), MAX_ACCOUNTS_PER_READ)) {
            Account account = entry.account().at(atMs);
            PeriodWindow window = account.window();
            features.add(new FeatureUsage(
                    entry.key().isNamespace() ? entry.key().namespace() : null,
                    entry.key().feature(),
                    account.used(),
                    account.limit().limit(),
                    account.remaining(),
                    account.limit().period(),
                    account.limit().enforcement(),
                    window.start(),
                    window.end()));
        }
        return new UsageReport(request.requestId(), request.workspace(), features, Instant.ofEpochMilli(atMs));
    }

    /** The decision for a request that broke its schema's rules: nothing is read or written. */
    public static UsageDecision invalid(UsageRequest request, List<FieldError> errors, long atMs) {
        return new Builder(request, DecisionCode.INVALID_REQUEST, atMs)
                .message("invalid request: " + errors.size() + " field(s) at fault")
                .errors(errors)
                .build();
    }

    /** The decision for a request id already used by another request body. */
    public static UsageDecision requestIdReused(UsageRequest request, long atMs) {
        return new Builder(request, DecisionCode.REQUEST_ID_REUSED, atMs)
                .message("requestId '" + request.requestId() + "' was already used for a different request")
                .build();
    }

    private static long headroom(Account account) {
        return account.limit().limit() - account.used();
    }

    private void addCheck(List<Check> checks, AccountKey key, long atMs) {
        Account account = store.get(key);
        if (account != null) {
            checks.add(new Check(key, account.at(atMs)));
        }
    }

    private static Builder decision(UsageRequest request, DecisionCode code, String message, AccountKey key,
                                    Account account, long overage, long atMs) {
        PeriodWindow window = account.window();
        return new Builder(request, code, atMs)
                .message(message)
                .scope(key.scopeName())
                .figures(account.used(), account.limit().limit(), account.remaining())
                .overage(overage > 0 ? overage : null)
                .limitSpec(account.limit(), window);
    }

    private record Check(AccountKey key, Account account) {
        boolean isHard() {
            return account.limit().enforcement() == dev.tally.schemas.usage.Enforcement.HARD;
        }
    }

    /** Assembles a decision; fields that do not apply stay null and out of the JSON. */
    static final class Builder {
        private final UsageRequest request;
        private final DecisionCode code;
        private final long atMs;
        private String message;
        private String scope;
        private Long used;
        private Long limit;
        private Long remaining;
        private Long overage;
        private LimitSpec spec;
        private PeriodWindow window;
        private List<FieldError> errors;

        Builder(UsageRequest request, DecisionCode code, long atMs) {
            this.request = request;
            this.code = code;
            this.atMs = atMs;
        }

        Builder message(String value) {
            this.message = value;
            return this;
        }

        Builder scope(String value) {
            this.scope = value;
            return this;
        }

        Builder figures(long usedValue, long limitValue, long remainingValue) {
            this.used = usedValue;
            this.limit = limitValue;
            this.remaining = remainingValue;
            return this;
        }

        Builder overage(Long value) {
            this.overage = value;
            return this;
        }

        Builder limitSpec(LimitSpec value, PeriodWindow windowValue) {
            this.spec = value;
            this.window = windowValue;
            return this;
        }

        Builder errors(List<FieldError> value) {
            this.errors = value;
            return this;
        }

        UsageDecision build() {
            String namespace = null;
            String feature = null;
            Long amount = null;
            Boolean dryRun = null;
            String type = null;
            if (request instanceof RecordUsage r) {
                type = RecordUsage.TYPE;
                namespace = r.namespace();
                feature = r.feature();
                amount = r.amount();
                dryRun = r.isDryRun() ? Boolean.TRUE : null;
            } else if (request instanceof SetLimit s) {
                type = SetLimit.TYPE;
                namespace = s.namespace();
                feature = s.feature();
            } else if (request instanceof ReadUsage) {
                type = ReadUsage.TYPE;
            }
            return new UsageDecision(
                    request.requestId(), type, code.outcome(), code, message,
                    request.workspace(), namespace, feature, amount, dryRun,
                    scope, used, limit, remaining, overage,
                    spec == null ? null : spec.period(),
                    spec == null ? null : spec.enforcement(),
                    window == null ? null : window.start(),
                    window == null ? null : window.end(),
                    errors,
                    Instant.ofEpochMilli(atMs));
        }
    }
}
