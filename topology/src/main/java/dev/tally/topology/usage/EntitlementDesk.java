package dev.tally.topology.usage;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.BoostView;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.EntitlementsReport;
import dev.tally.schemas.usage.FeatureEntitlement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.FeatureKind;
import dev.tally.schemas.usage.LimitSource;
import dev.tally.schemas.usage.PackageView;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadEntitlements;
import dev.tally.schemas.usage.SourceKind;
import dev.tally.schemas.usage.UsageDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packages and boosts, in plain Java. A package's grants are written into the accounts of the features
 * it names, so that a usage request reads one account per scope and never the packages; the package itself
 * is kept apart, to be cancelled or replaced whole.
 *
 * <p>One active base package per scope: provisioning a base package cancels the scope's other base
 * package in the same step (the same task, the same transaction), so no order of concurrent provisionings
 * can leave two.
 */
public final class EntitlementDesk {

    /** A feature in one scope holds at most this many package grants, and this many live boosts. */
    public static final int MAX_GRANTS_PER_FEATURE = 100;
    /** A read lists at most this many packages. */
    public static final int MAX_PACKAGES_PER_READ = 1_000;

    private final AccountStore accounts;
    private final EntitlementStore entitlements;

    public EntitlementDesk(AccountStore accounts, EntitlementStore entitlements) {
        this.accounts = accounts;
        this.entitlements = entitlements;
    }

    public UsageDecision provision(ProvisionPackage request, long atMs) {
        String ws = request.workspace();
        String ns = request.namespace();
        PackageView existing = entitlements.getPackage(ws, ns, request.packageCode());
        if (existing != null && existing.base() == request.base() && existing.features().equals(request.features())) {
            return UsageDecisions.on(request, DecisionCode.ALREADY_PROVISIONED, atMs)
                    .message("package '" + request.packageCode() + "' is active as provisioned; nothing changed")
                    .provisioned(existing, null).build();
        }
        // A base package takes the place of the scope's current base: that one does not count.
        String leaving = request.base() ? entitlements.basePackage(ws, ns) : null;
        for (String feature : request.features().keySet()) {
            Account account = accounts.get(new AccountKey(ws, ns, feature));
            if (account != null && account.packages().stream()
                    .filter(p -> !p.packageCode().equals(request.packageCode()))
                    .filter(p -> !p.packageCode().equals(leaving))
                    .count() >= MAX_GRANTS_PER_FEATURE) {
                return UsageDecisions.on(request, DecisionCode.TOO_MANY_GRANTS, atMs)
                        .message("feature '" + feature + "' already has " + MAX_GRANTS_PER_FEATURE
                                + " packages in this scope").build();
            }
        }
        String replaced = null;
        if (request.base()) {
            String current = entitlements.basePackage(ws, ns);
            if (current != null && !current.equals(request.packageCode())) {
                PackageView old = entitlements.getPackage(ws, ns, current);
                if (old != null) {
                    removeGrants(ws, old, atMs);
                    entitlements.deletePackage(ws, ns, current);
                }
                replaced = current;
            }
        }
        if (existing != null) {
            removeGrants(ws, existing, atMs);
        }
        for (Map.Entry<String, FeatureGrant> entry : request.features().entrySet()) {
            AccountKey key = new AccountKey(ws, ns, entry.getKey());
            Account account = accounts.get(key);
            store(key, (account == null ? Account.empty() : account)
                    .withPackage(new PackageGrant(request.packageCode(), request.base(), entry.getValue())), atMs);
        }
        PackageView view = new PackageView(request.packageCode(), ns, request.base(), request.features(),
                Instant.ofEpochMilli(atMs), request.requestId());
        entitlements.putPackage(ws, view);
        if (request.base()) {
            entitlements.setBasePackage(ws, ns, request.packageCode());
        } else if (existing != null && existing.base()) {
            entitlements.setBasePackage(ws, ns, null);
        }
        String message = "package '" + request.packageCode() + "' provisioned"
                + (existing != null ? " in place of its earlier content" : "")
                + (replaced != null ? "; base package '" + replaced + "' cancelled" : "");
        return UsageDecisions.on(request, DecisionCode.PACKAGE_PROVISIONED, atMs).message(message)
                .provisioned(view, replaced).build();
    }

    public UsageDecision cancel(CancelPackage request, long atMs) {
        String ws = request.workspace();
        PackageView existing = entitlements.getPackage(ws, request.namespace(), request.packageCode());
        if (existing == null) {
            return UsageDecisions.on(request, DecisionCode.PACKAGE_NOT_FOUND, atMs)
                    .message("no active package '" + request.packageCode() + "' in this scope").build();
        }
        removeGrants(ws, existing, atMs);
        entitlements.deletePackage(ws, request.namespace(), request.packageCode());
        if (existing.base()) {
            entitlements.setBasePackage(ws, request.namespace(), null);
        }
        return UsageDecisions.on(request, DecisionCode.PACKAGE_CANCELLED, atMs)
                .message("package '" + request.packageCode() + "' cancelled").provisioned(existing, null).build();
    }

    public UsageDecision addBoost(AddBoost request, long atMs) {
        String ws = request.workspace();
        BoostView first = entitlements.getBoost(ws, request.externalId());
        if (first != null) {
            return UsageDecisions.on(request, DecisionCode.DUPLICATE_EXTERNAL_ID, atMs)
                    .message("externalId '" + request.externalId() + "' was provisioned by request '"
                            + first.requestId() + "'; a boost is provisioned once")
                    .boost(first).build();
        }
        if (request.expiresAt() != null && request.expiresAt().toEpochMilli() <= atMs) {
            return UsageLedger.invalid(request,
                    List.of(new FieldError("expiresAt", "must be after the request's time")), atMs);
        }
        AccountKey key = new AccountKey(ws, request.namespace(), request.feature());
        Account stored = accounts.get(key);
        Account account = stored == null ? Account.empty() : stored;
        if (account.liveBoosts(atMs).size() >= MAX_GRANTS_PER_FEATURE) {
            return UsageDecisions.on(request, DecisionCode.TOO_MANY_GRANTS, atMs)
                    .message("feature '" + request.feature() + "' already has " + MAX_GRANTS_PER_FEATURE
                            + " live boosts in this scope").build();
        }
        long expiresAtMs = request.expiresAt() == null ? Boost.NEVER : request.expiresAt().toEpochMilli();
        Scope scope = Scope.load(key,
                account.withBoost(new Boost(request.externalId(), request.amount(), expiresAtMs), atMs), atMs);
        accounts.put(key, scope.account());
        BoostView view = new BoostView(request.externalId(), request.namespace(), request.feature(),
                request.amount(), request.expiresAt(), Instant.ofEpochMilli(atMs), request.requestId());
        entitlements.putBoost(ws, view);
        return UsageDecisions.on(request, DecisionCode.BOOST_ADDED, atMs)
                .message("boost of " + request.amount() + " added").boost(view).scope(scope).build();
    }

    public EntitlementsReport read(ReadEntitlements request, long atMs) {
        String ws = request.workspace();
        List<BoostView> boosts = new ArrayList<>();
        List<FeatureEntitlement> features = new ArrayList<>();
        for (AccountStore.Entry entry : accounts.workspaceAccounts(ws, UsageLedger.MAX_ACCOUNTS_PER_READ)) {
            Account account = entry.account();
            EffectiveLimit limit = account.effective(atMs);
            List<LimitSource> sources = sources(account, limit, atMs);
            if (sources.isEmpty()) {
                continue; // counters left after every source ended: nothing entitles the feature
            }
            for (Boost boost : account.liveBoosts(atMs)) {
                BoostView view = entitlements.getBoost(ws, boost.externalId());
                if (view != null) {
                    boosts.add(view);
                }
            }
            AccountKey key = entry.key();
            features.add(new FeatureEntitlement(key.isNamespace() ? key.namespace() : null, key.feature(),
                    limit.kind(), limit.isMetered() ? limit.limit() : null,
                    limit.kind() == FeatureKind.BOOLEAN ? limit.enabled() : null,
                    limit.period(), limit.isMetered() ? limit.enforcement() : null, sources));
        }
        return new EntitlementsReport(request.requestId(), ws, entitlements.packages(ws, MAX_PACKAGES_PER_READ),
                boosts, features, Instant.ofEpochMilli(atMs));
    }

    /**
     * Every source of an account's limit, in the order the rule reads them. {@code counted} says whether
     * the rule used it for {@code limit}: a base package under a direct limit is not; nor, for a METERED
     * feature, a flag; for an UNLIMITED one, anything but the unlimited grants; for a BOOLEAN one,
     * anything but the flags (boosts add to metered limits only).
     */
    private static List<LimitSource> sources(Account account, EffectiveLimit limit, long atMs) {
        List<LimitSource> sources = new ArrayList<>();
        LimitSpec direct = account.direct();
        if (direct != null) {
            sources.add(new LimitSource(SourceKind.LIMIT, null, direct.limit(), null, null, direct.period(),
                    direct.enforcement(), null, limit.kind() == FeatureKind.METERED));
        }
        for (PackageGrant p : account.packages()) {
            FeatureGrant g = p.grant();
            boolean setAside = p.base() && direct != null;
            sources.add(new LimitSource(p.base() ? SourceKind.BASE_PACKAGE : SourceKind.ADDON_PACKAGE,
                    p.packageCode(), g.limit(), g.unlimited(), g.enabled(), g.period(), g.enforcement(), null,
                    !setAside && counts(g, limit.kind())));
        }
        for (Boost boost : account.liveBoosts(atMs)) {
            sources.add(new LimitSource(SourceKind.BOOST, boost.externalId(), boost.amount(), null, null, null, null,
                    boost.expiresAtMs() == Boost.NEVER ? null : Instant.ofEpochMilli(boost.expiresAtMs()),
                    limit.kind() == FeatureKind.METERED));
        }
        return sources;
    }

    private static boolean counts(FeatureGrant grant, FeatureKind kind) {
        if (kind == FeatureKind.UNLIMITED) {
            return grant.isUnlimited();
        }
        if (kind == FeatureKind.METERED) {
            return grant.isMetered();
        }
        return grant.isFlag();
    }

    private void removeGrants(String ws, PackageView view, long atMs) {
        for (String feature : view.features().keySet()) {
            AccountKey key = new AccountKey(ws, view.namespace(), feature);
            Account account = accounts.get(key);
            if (account != null) {
                store(key, account.withoutPackage(view.packageCode()), atMs);
            }
        }
    }

    /**
     * Stores an account whose sources changed as seen at the change's time, as a direct limit is: usage
     * so far is counted under the period it was recorded in, and carried if the period kind changed.
     * Left for the next request, it would be rolled under the old kind at that request's time instead.
     */
    private void store(AccountKey key, Account changed, long atMs) {
        accounts.put(key, changed.at(atMs));
    }
}
