package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * I1 from a model of the whole effective-limit rule (README, "Entitlements and reservations"), kept from
 * {@code tally.usage.decisions} alone. Per workspace, namespace and feature the model holds the sources of the
 * limit (a direct limit, base and add-on packages with metered, unlimited and flag grants, boosts until their
 * {@code expiresAt}) and the counters (usage of the current period, what live reservations hold). From them it
 * derives the effective limit at each record's time, and checks every non-dry-run {@code record-usage},
 * {@code reserve} and {@code commit-reservation} decision: accepted exactly when the amount fits every counted
 * scope (its namespace's and its workspace's; usage + live reservations + amount within a HARD limit; an enabled
 * flag or an unlimited grant takes any amount, a disabled flag none; no counted scope: NO_LIMIT_DEFINED), with
 * the code the rule gives, and reporting the model's binding scope with its kind, limit, enforcement, period,
 * period start, used and reserved.
 *
 * <p>What the model follows as the engine does (README and "Documented choices"): a base package replaces the
 * scope's base in the same step, a package provisioned again with other content replaces its grants, a direct
 * limit sets the base package aside for good; periods are UTC calendar windows by record time that only move
 * forward (a late record is charged to the current window); a change of sources is applied at its record's time
 * and, if it changes the period kind, carries the current window's usage into the new kind's current window.
 * Reservations count in the scopes they were checked in until a commit (which charges its amount to every scope
 * it touches; beyond what was reserved it must fit), a release or their expiry event ({@code reservation-expired},
 * on the engine's clock: the model follows the events, not {@code expiresAt}). Where the log disagrees with the
 * model only in an answer or a figure, the violation is reported and the model follows the decision's outcome
 * with its own figures, so one wrong decision is not blamed on every later one.
 *
 * <p>Where the model cannot follow, the workspace leaves it, from that record on, and is left to the decisions'
 * own figures ({@link UsageWithinLimits}); the summary counts them by reason:
 * <ul>
 *   <li>A direct limit set while an unlimited add-on is active: decisions do not echo a {@code set-limit}'s
 *       request, so the model reads the direct limit back from the decision's figures (its effective limit less
 *       the model's add-ons and live boosts, with its period and enforcement); under an unlimited add-on the
 *       decision reports UNLIMITED and no limit at all. The workspace leaves once the rule would need that value
 *       (the unlimited add-on is gone). For the same reason a {@code set-limit} decision that misreports its own
 *       limit is taken as the limit set.</li>
 *   <li>A log that contradicts what the model holds, so that it can no longer tell what the engine holds: a
 *       reservation ended twice, or ended or committed without having been made; a package cancelled that was
 *       never provisioned; a base package replaced that is not the model's base; a direct limit whose decision
 *       reports less than the model's add-ons and boosts. Each is also reported as a violation.</li>
 * </ul>
 * Not checked: dry runs (they change nothing), the figures of decisions that add nothing to usage (limits,
 * packages, boosts, releases), and a log whose start retention deleted (its earlier sources are unknown).
 */
final class UsageByEffectiveLimits implements Check {

    /** The start of LIFETIME's one window, which has none; also the start of an account never rolled. */
    private static final long UNBOUNDED = Long.MIN_VALUE;
    private static final long NEVER = Long.MAX_VALUE;
    private static final String HIDDEN_DIRECT_LIMIT = "a direct limit set under an unlimited add-on, whose value no"
            + " decision showed, was needed";
    private static final String LOG_CONTRADICTS_MODEL = "its log contradicts the model (see the violations)";

    /** Thrown where the decisions do not give the model what it needs: the workspace leaves the model. */
    private static final class CannotFollow extends RuntimeException {
        CannotFollow(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What a package or a direct limit grants one feature: metered, unlimited or a flag. */
    private record Grant(Long limit, String period, String enforcement, boolean unlimited, Boolean enabled) {

        static Grant of(JsonNode json) {
            Long limit = json.path("limit").isNumber() ? json.path("limit").asLong() : null;
            boolean unlimited = json.path("unlimited").asBoolean(false);
            String period = json.path("period").asText(unlimited ? "MONTH" : null);
            String enforcement = json.path("enforcement").asText(limit != null ? "HARD" : null);
            Boolean enabled = json.path("enabled").isBoolean() ? json.path("enabled").asBoolean() : null;
            return new Grant(limit, period, enforcement, unlimited, enabled);
        }

        boolean metered() {
            return limit != null;
        }

        boolean flag() {
            return limit == null && !unlimited && enabled != null;
        }
    }

    private record PackageGrant(boolean base, Grant grant) {
    }

    /** An active package of one scope, as its last PACKAGE_PROVISIONED gave it. */
    private record Package(boolean base, Map<String, Grant> features) {
    }

    private record Boost(long amount, long expiresAtMs) {

        /** A boost counts up to, not including, its expiry. */
        boolean liveAt(long atMs) {
            return atMs < expiresAtMs;
        }
    }

    /** A live reservation, and which scopes' {@code reserved} hold its amount. */
    private record Reservation(String namespace, String feature, long amount, boolean onNamespace,
                               boolean onWorkspace) {
    }

    /** What the sources make a feature in one scope at one instant; {@code kind} null: nothing defines it. */
    private record Effective(String kind, long limit, boolean enabled, String period, String enforcement) {

        static final Effective NONE = new Effective(null, 0, false, null, null);

        boolean defined() {
            return kind != null;
        }

        boolean metered() {
            return "METERED".equals(kind);
        }

        boolean hard() {
            return metered() && "HARD".equals(enforcement);
        }

        boolean disabled() {
            return "BOOLEAN".equals(kind) && !enabled;
        }
    }

    /**
     * One scope and feature: its sources and counters. {@code hasDirect} with a null {@code direct} is a direct
     * limit whose value no decision showed. {@code packages} are keyed and ordered by packageCode.
     */
    private static final class Account {
        boolean hasDirect;
        Grant direct;
        final TreeMap<String, PackageGrant> packages = new TreeMap<>();
        final List<Boost> boosts = new ArrayList<>();
        String period = "LIFETIME";
        long periodStartMs = UNBOUNDED;
        long used;
        long reserved;

        Account copy() {
            Account copy = new Account();
            copy.hasDirect = hasDirect;
            copy.direct = direct;
            copy.packages.putAll(packages);
            copy.boosts.addAll(boosts);
            copy.period = period;
            copy.periodStartMs = periodStartMs;
            copy.used = used;
            copy.reserved = reserved;
            return copy;
        }

        /**
         * Moves the counters to {@code atMs} under {@code effective}: a later window of the counted period
         * starts with no usage; a new period kind takes the usage so far into its current window, taken at the
         * later of the record time and the current window's start, since a window never moves back.
         * Reservations outlive windows.
         */
        void rollTo(long atMs, Effective effective) {
            long windowStart = windowStart(period, atMs);
            if (windowStart > periodStartMs) {
                periodStartMs = windowStart;
                used = 0;
            }
            if (effective.defined() && !effective.period().equals(period)) {
                periodStartMs = windowStart(effective.period(), Math.max(atMs, periodStartMs));
                period = effective.period();
            }
        }
    }

    /** One counted scope as a decision sees it: its account rolled to the record's time, and its limit then. */
    private record Scope(String key, String name, Account account, Effective limit) {

        /** What is left under a metered limit; negative past a SOFT one. */
        long headroom() {
            return limit.metered() ? limit.limit() - sum(account.used, account.reserved) : Long.MAX_VALUE;
        }

        boolean fits(long extra) {
            return !limit.hard() || extra <= headroom();
        }

        /** The counters stop at the largest long: an amount that would pass it does not fit. */
        boolean roomInCounters(long extra) {
            return sum(account.used, account.reserved) <= Long.MAX_VALUE - extra;
        }

        /** This scope after {@code usage} more used and {@code reservedChange} more (or less) reserved. */
        Scope after(long usage, long reservedChange) {
            Account next = account.copy();
            next.used = sum(next.used, usage);
            next.reserved = Math.max(0, sum(next.reserved, reservedChange));
            return new Scope(key, name, next, limit);
        }

        String describe() {
            String of = limit.metered() ? " of " + limit.limit() + " (" + limit.enforcement() + ")"
                    : " (" + (limit.defined() ? limit.kind() : "undefined") + ")";
            return name + ": " + account.used + " used + " + account.reserved + " reserved" + of;
        }
    }

    /** The answer the rule gives an amount that does not fit; {@code scope} null for NO_LIMIT_DEFINED. */
    private record Refusal(String code, Scope scope) {
    }

    /** By {@code workspace|namespace|feature}, the namespace empty for the workspace's own scope. */
    private final Map<String, Account> accounts = new HashMap<>();
    /** By {@code workspace|namespace}, its active packages by packageCode. */
    private final Map<String, Map<String, Package>> packages = new HashMap<>();
    /** By {@code workspace|reservationId}. */
    private final Map<String, Reservation> liveReservations = new HashMap<>();
    /** Workspaces the model no longer follows, and why. */
    private final Map<String, String> leftTheModel = new LinkedHashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long usageChecked;
    private long reservesChecked;
    private long commitsChecked;

    @Override
    public List<String> topics() {
        return List.of("usage.decisions");
    }

    @Override
    public void accept(LoggedRecord record) {
        String workspace = record.text("workspace");
        String type = record.text("type");
        String code = record.text("code");
        if (workspace == null || type == null || code == null || leftTheModel.containsKey(workspace)
                || code.equals("INVALID_REQUEST") || code.equals("REQUEST_ID_REUSED")) {
            return; // an invalid request, or a reused id, changed nothing
        }
        try {
            switch (type) {
                case "set-limit" -> {
                    if (code.equals("LIMIT_SET")) {
                        setLimit(record, workspace);
                    }
                }
                case "provision-package" -> {
                    if (code.equals("PACKAGE_PROVISIONED")) {
                        provision(record, workspace);
                    }
                }
                case "cancel-package" -> {
                    if (code.equals("PACKAGE_CANCELLED")) {
                        cancel(record, workspace);
                    }
                }
                case "add-boost" -> {
                    if (code.equals("BOOST_ADDED")) {
                        addBoost(record, workspace);
                    }
                }
                case "record-usage" -> {
                    if (!record.body().path("dryRun").asBoolean(false)) {
                        recordUsage(record, workspace);
                    }
                }
                case "reserve" -> reserve(record, workspace);
                case "commit-reservation" -> commit(record, workspace);
                case "release-reservation" -> release(record, workspace);
                case "reservation-expired" -> lapse(record, workspace);
                default -> {
                }
            }
        } catch (CannotFollow e) {
            leftTheModel.put(workspace, e.getMessage());
        }
    }

    // Sources

    /**
     * The decision names no limit of its own, only the figures after it: under a METERED answer the direct limit
     * is the effective limit less what the rule adds to it (metered add-ons and live boosts).
     */
    private void setLimit(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        JsonNode body = record.body();
        Account account = accounts.computeIfAbsent(key(workspace, record.text("namespace"), record.text("feature")),
                k -> new Account());
        String kind = record.text("kind");
        if ("METERED".equals(kind) && body.path("limit").isNumber()) {
            long addedByTheRule = sum(meteredAddOns(account), liveBoosts(account, atMs));
            long direct = body.path("limit").asLong() - addedByTheRule;
            if (direct < 0) {
                throw diverged(record, describe(record) + " reports a limit of " + body.path("limit").asLong()
                        + ", below the " + addedByTheRule + " the model's add-ons and boosts give");
            }
            account.direct = new Grant(direct, record.text("period"), record.text("enforcement"), false, null);
        } else if ("UNLIMITED".equals(kind) && firstUnlimitedAddOn(account) != null) {
            account.direct = null; // hidden behind the unlimited add-on: see the class comment
        } else {
            throw diverged(record, describe(record) + " sets a direct limit but reports kind " + kind);
        }
        account.hasDirect = true;
        account.rollTo(atMs, effective(account, atMs));
    }

    /** In the engine's steps: the scope's other base package goes, then this package's earlier content, then in. */
    private void provision(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        JsonNode provisioned = record.body().path("provisioned");
        String namespace = provisioned.path("namespace").asText(record.text("namespace"));
        String code = provisioned.path("packageCode").asText();
        boolean base = provisioned.path("base").asBoolean(false);
        Map<String, Grant> features = new LinkedHashMap<>();
        provisioned.path("features").properties().forEach(f -> features.put(f.getKey(), Grant.of(f.getValue())));

        Map<String, Package> active = packages.computeIfAbsent(key(workspace, namespace), k -> new HashMap<>());
        String currentBase = active.entrySet().stream().filter(e -> e.getValue().base()).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        String replaced = base && currentBase != null && !currentBase.equals(code) ? currentBase : null;
        if (!Objects.equals(replaced, record.text("replacedPackage"))) {
            throw diverged(record, "'" + workspace + "' package '" + code + "' replaced base package '"
                    + record.text("replacedPackage") + "', the model's base package to replace is '" + replaced + "'");
        }
        if (replaced != null) {
            removeGrants(workspace, namespace, replaced, active.remove(replaced), atMs);
        }
        Package earlier = active.get(code);
        if (earlier != null) {
            removeGrants(workspace, namespace, code, earlier, atMs);
        }
        for (Map.Entry<String, Grant> feature : features.entrySet()) {
            Account account = accounts.computeIfAbsent(key(workspace, namespace, feature.getKey()),
                    k -> new Account());
            account.packages.put(code, new PackageGrant(base, feature.getValue()));
            account.rollTo(atMs, effective(account, atMs));
        }
        active.put(code, new Package(base, features));
    }

    private void cancel(LoggedRecord record, String workspace) {
        JsonNode cancelled = record.body().path("provisioned");
        String namespace = cancelled.path("namespace").asText(record.text("namespace"));
        String code = cancelled.path("packageCode").asText();
        Package active = packages.getOrDefault(key(workspace, namespace), Map.of()).get(code);
        if (active == null) {
            throw diverged(record, "'" + workspace + "' cancelled package '" + code + "', which the log never"
                    + " provisioned in that scope");
        }
        packages.get(key(workspace, namespace)).remove(code);
        removeGrants(workspace, namespace, code, active, record.timestamp());
    }

    private void removeGrants(String workspace, String namespace, String code, Package gone, long atMs) {
        for (String feature : gone.features().keySet()) {
            Account account = accounts.get(key(workspace, namespace, feature));
            if (account != null) {
                account.packages.remove(code);
                account.rollTo(atMs, effective(account, atMs));
            }
        }
    }

    private void addBoost(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        JsonNode boost = record.body().path("boost");
        String namespace = boost.path("namespace").asText(record.text("namespace"));
        String feature = boost.path("feature").asText(record.text("feature"));
        String expiresAt = boost.path("expiresAt").asText(null);
        Account account = accounts.computeIfAbsent(key(workspace, namespace, feature), k -> new Account());
        account.boosts.add(new Boost(boost.path("amount").asLong(), expiresAt == null ? NEVER : epochMs(expiresAt)));
        account.rollTo(atMs, effective(account, atMs));
    }

    // The effective-limit rule

    private static Effective effective(Account account, long atMs) {
        Grant base = account.hasDirect ? account.direct : basePackage(account);
        List<Grant> addOns = account.packages.values().stream().filter(p -> !p.base()).map(PackageGrant::grant)
                .toList();
        Grant unlimited = base != null && base.unlimited() ? base : firstUnlimitedAddOn(account);
        if (unlimited != null) {
            return new Effective("UNLIMITED", 0, false, unlimited.period(), null);
        }
        if (account.hasDirect && account.direct == null) {
            throw new CannotFollow(HIDDEN_DIRECT_LIMIT);
        }
        long boosts = liveBoosts(account, atMs);
        Grant meteredSource = base != null && base.metered() ? base
                : addOns.stream().filter(Grant::metered).findFirst().orElse(null);
        if (meteredSource != null) {
            long baseLimit = base != null && base.metered() ? base.limit() : 0;
            return new Effective("METERED", sum(sum(baseLimit, meteredAddOns(account)), boosts), false,
                    meteredSource.period(), meteredSource.enforcement());
        }
        boolean anyFlag = (base != null && base.flag()) || addOns.stream().anyMatch(Grant::flag);
        if (anyFlag) {
            boolean enabled = (base != null && base.flag() && base.enabled())
                    || addOns.stream().anyMatch(g -> g.flag() && g.enabled());
            return new Effective("BOOLEAN", 0, enabled, "MONTH", null);
        }
        if (boosts > 0) {
            return new Effective("METERED", boosts, false, "LIFETIME", "HARD");
        }
        return Effective.NONE;
    }

    private static Grant basePackage(Account account) {
        return account.packages.values().stream().filter(PackageGrant::base).map(PackageGrant::grant).findFirst()
                .orElse(null);
    }

    private static Grant firstUnlimitedAddOn(Account account) {
        return account.packages.values().stream().filter(p -> !p.base() && p.grant().unlimited())
                .map(PackageGrant::grant).findFirst().orElse(null);
    }

    private static long meteredAddOns(Account account) {
        long total = 0;
        for (PackageGrant p : account.packages.values()) {
            if (!p.base() && p.grant().metered()) {
                total = sum(total, p.grant().limit());
            }
        }
        return total;
    }

    private static long liveBoosts(Account account, long atMs) {
        long total = 0;
        for (Boost boost : account.boosts) {
            if (boost.liveAt(atMs)) {
                total = sum(total, boost.amount());
            }
        }
        return total;
    }

    // Usage and reservations

    private void recordUsage(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        long amount = record.body().path("amount").asLong();
        List<Scope> counted = countedScopes(workspace, record.text("namespace"), record.text("feature"), atMs);
        List<Scope> charged = counted.stream().map(s -> s.after(amount, 0)).toList();
        Refusal refusal = refusal(counted, amount);
        usageChecked++;
        if (refusal == null) {
            boolean pastSoft = charged.stream().anyMatch(s -> s.headroom() < 0);
            verify(record, counted, true, pastSoft ? "SOFT_LIMIT_EXCEEDED" : "OK", binding(charged));
        } else {
            verify(record, counted, false, refusal.code(), refusal.scope());
        }
        if (accepted(record)) {
            store(charged); // the engine charged it: the model follows, whatever it would have answered
        }
    }

    private void reserve(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        long amount = record.body().path("amount").asLong();
        String namespace = record.text("namespace");
        List<Scope> counted = countedScopes(workspace, namespace, record.text("feature"), atMs);
        List<Scope> holding = counted.stream().map(s -> s.after(0, amount)).toList();
        Refusal refusal = refusal(counted, amount);
        reservesChecked++;
        verify(record, counted, refusal == null, refusal == null ? "RESERVED" : refusal.code(),
                refusal == null ? binding(holding) : refusal.scope());
        if (accepted(record)) {
            store(holding);
            String id = record.body().path("reservation").path("reservationId").asText(record.text("requestId"));
            boolean onNamespace = counted.stream().anyMatch(s -> !s.name().equals("workspace"));
            boolean onWorkspace = counted.stream().anyMatch(s -> s.name().equals("workspace"));
            liveReservations.put(key(workspace, id),
                    new Reservation(namespace, record.text("feature"), amount, onNamespace, onWorkspace));
        }
    }

    /**
     * What was reserved was granted: only the amount beyond it must fit, in each scope the commit touches (those
     * holding the reservation, and those that define the feature now). The whole amount is charged to each.
     */
    private void commit(LoggedRecord record, String workspace) {
        String id = record.body().path("reservation").path("reservationId").asText(null);
        if (id == null) {
            return; // RESERVATION_NOT_FOUND names no reservation
        }
        Reservation reservation = liveReservations.get(key(workspace, id));
        if (endedAnswer(record, reservation, id)) {
            return;
        }
        long atMs = record.timestamp();
        long amount = record.body().path("amount").asLong();
        List<Scope> touched = commitScopes(workspace, reservation, atMs);
        List<Scope> charged = touched.stream().map(s -> s.after(amount, -held(reservation, s))).toList();
        Refusal refusal = commitRefusal(touched, reservation, amount);
        commitsChecked++;
        verify(record, touched, refusal == null, refusal == null ? "RESERVATION_COMMITTED" : refusal.code(),
                refusal == null ? binding(charged) : refusal.scope());
        if (accepted(record)) {
            store(charged);
            liveReservations.remove(key(workspace, id));
        }
    }

    private static Refusal commitRefusal(List<Scope> touched, Reservation reservation, long amount) {
        if (touched.stream().noneMatch(s -> s.limit().defined()) && amount > reservation.amount()) {
            return new Refusal("NO_LIMIT_DEFINED", null);
        }
        for (Scope scope : touched) {
            long held = held(reservation, scope);
            if (amount <= held) {
                continue;
            }
            Scope released = scope.after(0, -held);
            if (scope.limit().disabled()) {
                return new Refusal("FEATURE_DISABLED", scope);
            }
            if (!released.roomInCounters(amount) || !released.fits(amount)) {
                return new Refusal("QUOTA_EXCEEDED", scope);
            }
        }
        return null;
    }

    private void release(LoggedRecord record, String workspace) {
        String id = record.body().path("reservation").path("reservationId").asText(null);
        if (id == null) {
            return;
        }
        Reservation reservation = liveReservations.get(key(workspace, id));
        if (!endedAnswer(record, reservation, id) && accepted(record)) {
            giveBack(workspace, liveReservations.remove(key(workspace, id)));
        }
    }

    /** An expiry event, on the engine's clock: the amount goes back, usage windows stay where they are. */
    private void lapse(LoggedRecord record, String workspace) {
        String id = record.body().path("reservation").path("reservationId").asText(null);
        Reservation reservation = liveReservations.remove(key(workspace, id));
        if (reservation == null) {
            throw diverged(record, "'" + workspace + "' reservation '" + id + "' ran out, but it is not live in"
                    + " the log");
        }
        giveBack(workspace, reservation);
    }

    /**
     * Whether a commit or release was answered as ended (nothing more to check), after checking that the model
     * agrees: a live reservation is not ended, and one that is not live cannot be committed or refused a commit.
     */
    private boolean endedAnswer(LoggedRecord record, Reservation reservation, String id) {
        String code = record.text("code");
        boolean answeredEnded = code.equals("RESERVATION_EXPIRED") || code.equals("RESERVATION_ENDED")
                || code.equals("RESERVATION_NOT_FOUND");
        if (answeredEnded && reservation != null) {
            throw diverged(record, "'" + record.text("workspace") + "' reservation '" + id + "' answered " + code
                    + ", but it is live in the log");
        }
        if (!answeredEnded && reservation == null) {
            throw diverged(record, "'" + record.text("workspace") + "' reservation '" + id + "' answered " + code
                    + ", but it is not live in the log");
        }
        return answeredEnded;
    }

    /** Ending a reservation lowers what it held and moves no window (expiries run on the engine's clock). */
    private void giveBack(String workspace, Reservation reservation) {
        for (String key : heldOn(workspace, reservation)) {
            Account account = accounts.get(key);
            if (account != null) {
                account.reserved = Math.max(0, account.reserved - reservation.amount());
            }
        }
    }

    private static List<String> heldOn(String workspace, Reservation reservation) {
        List<String> keys = new ArrayList<>(2);
        if (reservation.onNamespace()) {
            keys.add(key(workspace, reservation.namespace(), reservation.feature()));
        }
        if (reservation.onWorkspace()) {
            keys.add(key(workspace, null, reservation.feature()));
        }
        return keys;
    }

    /** What {@code reservation} holds in {@code scope}: its amount if it was checked there, else nothing. */
    private static long held(Reservation reservation, Scope scope) {
        boolean holds = scope.name().equals("workspace") ? reservation.onWorkspace() : reservation.onNamespace();
        return holds ? reservation.amount() : 0;
    }

    /** The scopes a request counts in, namespace first: those where some source defines the feature. */
    private List<Scope> countedScopes(String workspace, String namespace, String feature, long atMs) {
        List<Scope> scopes = new ArrayList<>(2);
        if (namespace != null) {
            addIf(scopes, scopeAt(workspace, namespace, feature, atMs), false);
        }
        addIf(scopes, scopeAt(workspace, null, feature, atMs), false);
        return scopes;
    }

    /** A commit's scopes: those that hold its reservation, and those that define the feature now. */
    private List<Scope> commitScopes(String workspace, Reservation reservation, long atMs) {
        List<Scope> scopes = new ArrayList<>(2);
        if (reservation.namespace() != null) {
            addIf(scopes, scopeAt(workspace, reservation.namespace(), reservation.feature(), atMs),
                    reservation.onNamespace());
        }
        addIf(scopes, scopeAt(workspace, null, reservation.feature(), atMs), reservation.onWorkspace());
        return scopes;
    }

    private static void addIf(List<Scope> scopes, Scope scope, boolean evenUndefined) {
        if (scope != null && (evenUndefined || scope.limit().defined())) {
            scopes.add(scope);
        }
    }

    /** A scope as a request at {@code atMs} sees it, on a copy: only what the engine stores is stored. */
    private Scope scopeAt(String workspace, String namespace, String feature, long atMs) {
        String key = key(workspace, namespace, feature);
        Account stored = accounts.get(key);
        if (stored == null) {
            return null;
        }
        Account seen = stored.copy();
        Effective limit = effective(seen, atMs);
        seen.rollTo(atMs, limit);
        return new Scope(key, namespace == null ? "workspace" : "namespace:" + namespace, seen, limit);
    }

    private void store(List<Scope> scopes) {
        scopes.forEach(scope -> accounts.put(scope.key(), scope.account()));
    }

    /**
     * The refusal of {@code amount} more, or null if every counted scope takes it: scope by scope in order, a
     * disabled flag, then a full counter, then a HARD limit it does not fit.
     */
    private static Refusal refusal(List<Scope> counted, long amount) {
        if (counted.isEmpty()) {
            return new Refusal("NO_LIMIT_DEFINED", null);
        }
        for (Scope scope : counted) {
            if (scope.limit().disabled()) {
                return new Refusal("FEATURE_DISABLED", scope);
            }
            if (!scope.roomInCounters(amount) || !scope.fits(amount)) {
                return new Refusal("QUOTA_EXCEEDED", scope);
            }
        }
        return null;
    }

    /** The scope a decision reports: the one with the least left, the first of equals. */
    private static Scope binding(List<Scope> scopes) {
        Scope binding = null;
        for (Scope scope : scopes) {
            if (binding == null || scope.headroom() < binding.headroom()) {
                binding = scope;
            }
        }
        return binding;
    }

    // Checking a decision against the model

    private void verify(LoggedRecord record, List<Scope> before, boolean fits, String modelCode, Scope reported) {
        String code = record.text("code");
        String what = describe(record) + " with " + (before.isEmpty() ? "no scope defining it"
                : before.stream().map(Scope::describe).collect(Collectors.joining(", ")));
        if (accepted(record) && !fits) {
            violations.add(new Violation("I1", what + " was accepted past the limit (the model answers " + modelCode
                    + ")", List.of(record.position())));
        } else if (!accepted(record) && fits) {
            violations.add(new Violation("I1", what + " was refused (" + code + ") though it fit",
                    List.of(record.position())));
        } else if (!code.equals(modelCode)) {
            violations.add(new Violation("I1", what + " was answered " + code + ", the model answers " + modelCode,
                    List.of(record.position())));
        } else {
            String mismatches = mismatches(record.body(), reported);
            if (!mismatches.isEmpty()) {
                violations.add(new Violation("I1", what + " reports " + mismatches, List.of(record.position())));
            }
        }
    }

    /** The reported figures that differ from the model's, as {@code field X (the model Y)}; empty if none. */
    private static String mismatches(JsonNode body, Scope reported) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("scope", reported == null ? null : reported.name());
        if (reported != null) {
            Effective limit = reported.limit();
            Account account = reported.account();
            model.put("kind", limit.kind());
            model.put("limit", limit.metered() ? limit.limit() : null);
            model.put("enforcement", limit.metered() ? limit.enforcement() : null);
            model.put("period", account.period);
            model.put("periodStart", account.period.equals("LIFETIME") ? null
                    : Instant.ofEpochMilli(account.periodStartMs).toString());
            model.put("used", account.used);
            model.put("reserved", account.reserved);
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Object> field : model.entrySet()) {
            Object decided = reportedValue(body.path(field.getKey()));
            if (!Objects.equals(decided, field.getValue())) {
                differences.add(field.getKey() + " " + decided + " (the model " + field.getValue() + ")");
            }
        }
        return String.join(", ", differences);
    }

    /** A field as the model holds such values: a number as a long, an instant in one spelling, absent as null. */
    private static Object reportedValue(JsonNode node) {
        if (node.isNumber()) {
            return node.asLong();
        }
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText()).toString();
        } catch (DateTimeParseException notAnInstant) {
            return node.asText();
        }
    }

    private static String describe(LoggedRecord record) {
        JsonNode amount = record.body().path("amount");
        return "'" + record.text("workspace") + "'" + (record.text("namespace") != null
                ? " namespace " + record.text("namespace") : "") + " " + record.text("feature") + " "
                + record.text("type") + (amount.isNumber() ? " of " + amount.asLong() : "");
    }

    private CannotFollow diverged(LoggedRecord record, String what) {
        violations.add(new Violation("I1", what, List.of(record.position())));
        return new CannotFollow(LOG_CONTRADICTS_MODEL);
    }

    private static boolean accepted(LoggedRecord record) {
        return "ACCEPTED".equals(record.text("outcome"));
    }

    // Keys, windows, sums

    private static String key(String workspace, String namespace) {
        return workspace + "|" + (namespace == null ? "" : namespace);
    }

    private static String key(String workspace, String namespace, String feature) {
        return key(workspace, namespace) + "|" + feature;
    }

    /** The start of the UTC calendar window of {@code period} that holds {@code atMs}; LIFETIME has none. */
    private static long windowStart(String period, long atMs) {
        ZonedDateTime at = Instant.ofEpochMilli(atMs).atZone(ZoneOffset.UTC);
        return switch (period) {
            case "HOUR" -> at.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli();
            case "DAY" -> at.truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli();
            case "MONTH" -> at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant().toEpochMilli();
            default -> UNBOUNDED;
        };
    }

    private static long epochMs(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    /** Amounts here are never negative but for a release's give-back; a sum past the largest long stops there. */
    private static long sum(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException past) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    @Override
    public String summary() {
        String reasons = leftTheModel.values().stream()
                .collect(Collectors.groupingBy(reason -> reason, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + ": " + e.getKey()).collect(Collectors.joining("; "));
        return String.format("I1 usage against a model of the effective-limit rule: %,d usage records, %,d"
                + " reservations and %,d commits checked, %,d workspaces left to the decisions' own figures%s",
                usageChecked, reservesChecked, commitsChecked, leftTheModel.size(),
                reasons.isEmpty() ? "" : " (" + reasons + ")");
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
