package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * scope's base in the same step, a package provisioned again with other content replaces its grants; how a direct
 * limit and the packages make the limit is in {@link AuditedEffectiveLimit}, how periods and windows move in
 * {@link AuditedAccount}. Reservations count in the scopes they were checked in until a commit (which charges its
 * amount to every scope it touches; beyond what was reserved it must fit), a release or their expiry event
 * ({@code reservation-expired}, on the engine's clock: the model follows the events, not {@code expiresAt}).
 * Where the log disagrees with the model only in an answer or a figure, the violation is reported and the model
 * follows the decision's outcome with its own figures, so one wrong decision is not blamed on every later one.
 *
 * <p>Where the model cannot follow, the workspace leaves it, from that record on, and is left to the decisions'
 * own figures ({@link UsageWithinLimits}); the summary counts them by reason ({@link ModelCannotFollow}).
 * Not checked: dry runs (they change nothing), the figures of decisions that add nothing to usage (limits,
 * packages, boosts, releases), and a log whose start retention deleted (its earlier sources are unknown).
 */
final class UsageByEffectiveLimits implements Check {

    private static final long NEVER = Long.MAX_VALUE;

    /** By {@code workspace|namespace|feature}, the namespace empty for the workspace's own scope. */
    private final Map<String, AuditedAccount> accounts = new HashMap<>();
    /** By {@code workspace|namespace}, its active packages by packageCode. */
    private final Map<String, Map<String, AuditedPackage>> packages = new HashMap<>();
    /** By {@code workspace|reservationId}. */
    private final Map<String, AuditedReservation> liveReservations = new HashMap<>();
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
        } catch (ModelCannotFollow e) {
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
        AuditedAccount account = accounts.computeIfAbsent(
                key(workspace, record.text("namespace"), record.text("feature")), k -> new AuditedAccount());
        String kind = record.text("kind");
        if ("METERED".equals(kind) && body.path("limit").isNumber()) {
            long addedByTheRule = Amounts.sum(AuditedEffectiveLimit.meteredAddOns(account),
                    AuditedEffectiveLimit.liveBoosts(account, atMs));
            long direct = body.path("limit").asLong() - addedByTheRule;
            if (direct < 0) {
                throw diverged(record, describe(record) + " reports a limit of " + body.path("limit").asLong()
                        + ", below the " + addedByTheRule + " the model's add-ons and boosts give");
            }
            account.direct = new AuditedGrant(direct, record.text("period"), record.text("enforcement"), false, null);
        } else if ("UNLIMITED".equals(kind) && AuditedEffectiveLimit.firstUnlimitedAddOn(account) != null) {
            account.direct = null; // hidden behind the unlimited add-on: see ModelCannotFollow
        } else {
            throw diverged(record, describe(record) + " sets a direct limit but reports kind " + kind);
        }
        account.hasDirect = true;
        account.rollTo(atMs);
    }

    /** In the engine's steps: the scope's other base package goes, then this package's earlier content, then in. */
    private void provision(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        JsonNode provisioned = record.body().path("provisioned");
        String namespace = provisioned.path("namespace").asText(record.text("namespace"));
        String code = provisioned.path("packageCode").asText();
        boolean base = provisioned.path("base").asBoolean(false);
        Map<String, AuditedGrant> features = new LinkedHashMap<>();
        provisioned.path("features").properties().forEach(f -> features.put(f.getKey(), AuditedGrant.of(f.getValue())));

        Map<String, AuditedPackage> active = packages.computeIfAbsent(key(workspace, namespace), k -> new HashMap<>());
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
        AuditedPackage earlier = active.get(code);
        if (earlier != null) {
            removeGrants(workspace, namespace, code, earlier, atMs);
        }
        for (Map.Entry<String, AuditedGrant> feature : features.entrySet()) {
            AuditedAccount account = accounts.computeIfAbsent(key(workspace, namespace, feature.getKey()),
                    k -> new AuditedAccount());
            account.packages.put(code, new AuditedPackageGrant(base, feature.getValue()));
            account.rollTo(atMs);
        }
        active.put(code, new AuditedPackage(base, features));
    }

    private void cancel(LoggedRecord record, String workspace) {
        JsonNode cancelled = record.body().path("provisioned");
        String namespace = cancelled.path("namespace").asText(record.text("namespace"));
        String code = cancelled.path("packageCode").asText();
        AuditedPackage active = packages.getOrDefault(key(workspace, namespace), Map.of()).get(code);
        if (active == null) {
            throw diverged(record, "'" + workspace + "' cancelled package '" + code + "', which the log never"
                    + " provisioned in that scope");
        }
        packages.get(key(workspace, namespace)).remove(code);
        removeGrants(workspace, namespace, code, active, record.timestamp());
    }

    private void removeGrants(String workspace, String namespace, String code, AuditedPackage gone, long atMs) {
        for (String feature : gone.features().keySet()) {
            AuditedAccount account = accounts.get(key(workspace, namespace, feature));
            if (account != null) {
                account.packages.remove(code);
                account.rollTo(atMs);
            }
        }
    }

    private void addBoost(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        JsonNode boost = record.body().path("boost");
        String namespace = boost.path("namespace").asText(record.text("namespace"));
        String feature = boost.path("feature").asText(record.text("feature"));
        String expiresAt = boost.path("expiresAt").asText(null);
        AuditedAccount account = accounts.computeIfAbsent(key(workspace, namespace, feature),
                k -> new AuditedAccount());
        account.boosts.add(new AuditedBoost(boost.path("amount").asLong(),
                expiresAt == null ? NEVER : epochMs(expiresAt)));
        account.rollTo(atMs);
    }

    // Usage and reservations

    private void recordUsage(LoggedRecord record, String workspace) {
        long atMs = record.timestamp();
        long amount = record.body().path("amount").asLong();
        List<AuditedScope> counted = countedScopes(workspace, record.text("namespace"), record.text("feature"), atMs);
        List<AuditedScope> charged = counted.stream().map(s -> s.after(amount, 0)).toList();
        AuditedRefusal refusal = AuditedRefusal.of(counted, amount);
        usageChecked++;
        if (refusal == null) {
            boolean pastSoft = charged.stream().anyMatch(s -> s.headroom() < 0);
            verify(record, counted, true, pastSoft ? "SOFT_LIMIT_EXCEEDED" : "OK", AuditedScope.binding(charged));
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
        List<AuditedScope> counted = countedScopes(workspace, namespace, record.text("feature"), atMs);
        List<AuditedScope> holding = counted.stream().map(s -> s.after(0, amount)).toList();
        AuditedRefusal refusal = AuditedRefusal.of(counted, amount);
        reservesChecked++;
        verify(record, counted, refusal == null, refusal == null ? "RESERVED" : refusal.code(),
                refusal == null ? AuditedScope.binding(holding) : refusal.scope());
        if (accepted(record)) {
            store(holding);
            String id = record.body().path("reservation").path("reservationId").asText(record.text("requestId"));
            boolean onNamespace = counted.stream().anyMatch(s -> !s.name().equals("workspace"));
            boolean onWorkspace = counted.stream().anyMatch(s -> s.name().equals("workspace"));
            liveReservations.put(key(workspace, id),
                    new AuditedReservation(namespace, record.text("feature"), amount, onNamespace, onWorkspace));
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
        AuditedReservation reservation = liveReservations.get(key(workspace, id));
        if (endedAnswer(record, reservation, id)) {
            return;
        }
        long atMs = record.timestamp();
        long amount = record.body().path("amount").asLong();
        List<AuditedScope> touched = commitScopes(workspace, reservation, atMs);
        List<AuditedScope> charged = touched.stream().map(s -> s.after(amount, -reservation.heldIn(s))).toList();
        AuditedRefusal refusal = AuditedRefusal.ofCommit(touched, reservation, amount);
        commitsChecked++;
        verify(record, touched, refusal == null, refusal == null ? "RESERVATION_COMMITTED" : refusal.code(),
                refusal == null ? AuditedScope.binding(charged) : refusal.scope());
        if (accepted(record)) {
            store(charged);
            liveReservations.remove(key(workspace, id));
        }
    }

    private void release(LoggedRecord record, String workspace) {
        String id = record.body().path("reservation").path("reservationId").asText(null);
        if (id == null) {
            return;
        }
        AuditedReservation reservation = liveReservations.get(key(workspace, id));
        if (!endedAnswer(record, reservation, id) && accepted(record)) {
            giveBack(workspace, liveReservations.remove(key(workspace, id)));
        }
    }

    /** An expiry event, on the engine's clock: the amount goes back, usage windows stay where they are. */
    private void lapse(LoggedRecord record, String workspace) {
        String id = record.body().path("reservation").path("reservationId").asText(null);
        AuditedReservation reservation = liveReservations.remove(key(workspace, id));
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
    private boolean endedAnswer(LoggedRecord record, AuditedReservation reservation, String id) {
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
    private void giveBack(String workspace, AuditedReservation reservation) {
        for (String key : heldOn(workspace, reservation)) {
            AuditedAccount account = accounts.get(key);
            if (account != null) {
                account.reserved = Math.max(0, account.reserved - reservation.amount());
            }
        }
    }

    private static List<String> heldOn(String workspace, AuditedReservation reservation) {
        List<String> keys = new ArrayList<>(2);
        if (reservation.onNamespace()) {
            keys.add(key(workspace, reservation.namespace(), reservation.feature()));
        }
        if (reservation.onWorkspace()) {
            keys.add(key(workspace, null, reservation.feature()));
        }
        return keys;
    }

    /** The scopes a request counts in, namespace first: those where some source defines the feature. */
    private List<AuditedScope> countedScopes(String workspace, String namespace, String feature, long atMs) {
        List<AuditedScope> scopes = new ArrayList<>(2);
        if (namespace != null) {
            addIf(scopes, scopeAt(workspace, namespace, feature, atMs), false);
        }
        addIf(scopes, scopeAt(workspace, null, feature, atMs), false);
        return scopes;
    }

    /** A commit's scopes: those that hold its reservation, and those that define the feature now. */
    private List<AuditedScope> commitScopes(String workspace, AuditedReservation reservation, long atMs) {
        List<AuditedScope> scopes = new ArrayList<>(2);
        if (reservation.namespace() != null) {
            addIf(scopes, scopeAt(workspace, reservation.namespace(), reservation.feature(), atMs),
                    reservation.onNamespace());
        }
        addIf(scopes, scopeAt(workspace, null, reservation.feature(), atMs), reservation.onWorkspace());
        return scopes;
    }

    private static void addIf(List<AuditedScope> scopes, AuditedScope scope, boolean evenUndefined) {
        if (scope != null && (evenUndefined || scope.limit().defined())) {
            scopes.add(scope);
        }
    }

    /** A scope as a request at {@code atMs} sees it, on a copy: only what the engine stores is stored. */
    private AuditedScope scopeAt(String workspace, String namespace, String feature, long atMs) {
        String key = key(workspace, namespace, feature);
        AuditedAccount stored = accounts.get(key);
        if (stored == null) {
            return null;
        }
        AuditedAccount seen = stored.copy();
        AuditedEffectiveLimit limit = seen.rollTo(atMs);
        return new AuditedScope(key, namespace == null ? "workspace" : "namespace:" + namespace, seen, limit);
    }

    private void store(List<AuditedScope> scopes) {
        scopes.forEach(scope -> accounts.put(scope.key(), scope.account()));
    }

    // Checking a decision against the model

    private void verify(LoggedRecord record, List<AuditedScope> before, boolean fits, String modelCode,
                        AuditedScope reported) {
        String code = record.text("code");
        String what = describe(record) + " with " + (before.isEmpty() ? "no scope defining it"
                : before.stream().map(AuditedScope::describe).collect(Collectors.joining(", ")));
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
            String mismatches = ReportedFigures.mismatches(record.body(), reported);
            if (!mismatches.isEmpty()) {
                violations.add(new Violation("I1", what + " reports " + mismatches, List.of(record.position())));
            }
        }
    }

    private static String describe(LoggedRecord record) {
        JsonNode amount = record.body().path("amount");
        return "'" + record.text("workspace") + "'" + (record.text("namespace") != null
                ? " namespace " + record.text("namespace") : "") + " " + record.text("feature") + " "
                + record.text("type") + (amount.isNumber() ? " of " + amount.asLong() : "");
    }

    private ModelCannotFollow diverged(LoggedRecord record, String what) {
        violations.add(new Violation("I1", what, List.of(record.position())));
        return ModelCannotFollow.logContradictsModel();
    }

    private static boolean accepted(LoggedRecord record) {
        return "ACCEPTED".equals(record.text("outcome"));
    }

    // Keys and instants

    private static String key(String workspace, String namespace) {
        return workspace + "|" + (namespace == null ? "" : namespace);
    }

    private static String key(String workspace, String namespace, String feature) {
        return key(workspace, namespace) + "|" + feature;
    }

    private static long epochMs(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Override
    public String summary() {
        String reasons = leftTheModel.values().stream()
                .collect(Collectors.groupingBy(reason -> reason, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + ": " + e.getKey()).collect(Collectors.joining("; "));
        return String.format(Locale.ROOT, "I1 usage against a model of the effective-limit rule: %,d usage records, %,d"
                + " reservations and %,d commits checked, %,d workspaces left to the decisions' own figures%s",
                usageChecked, reservesChecked, commitsChecked, leftTheModel.size(),
                reasons.isEmpty() ? "" : " (" + reasons + ")");
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
