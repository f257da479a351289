package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * I1 from a model of its own, where one can be kept from the decisions alone: a workspace's features under
 * direct limits only (set-limit), used in the workspace scope. The model takes each accepted limit, and
 * each usage record against the period its record time falls in (UTC calendar), and checks every usage
 * decision against it: the limit and the usage it reports, and that it was accepted exactly when the amount
 * fit a HARD limit. A workspace leaves the model, from that record on, at its first package, boost,
 * reservation or namespace request: the effective-limit rule for those is not modelled here (the decisions'
 * own figures are still checked by {@link UsageWithinLimits}).
 */
final class UsageByDirectLimits implements Check {

    private static final Set<String> OUTSIDE_THE_MODEL = Set.of("provision-package", "cancel-package", "add-boost",
            "reserve", "commit-reservation", "release-reservation");

    private record Limit(long limit, String period, String enforcement) {
    }

    private final Map<String, Limit> limits = new HashMap<>();
    private final Map<String, Long> used = new HashMap<>();
    private final Set<String> unmodelled = new HashSet<>();
    private final List<Violation> violations = new ArrayList<>();
    private long checked;

    @Override
    public List<String> topics() {
        return List.of("usage.decisions");
    }

    @Override
    public void accept(LoggedRecord record) {
        String workspace = record.text("workspace");
        String type = record.text("type");
        if (workspace == null || type == null || unmodelled.contains(workspace)) {
            return;
        }
        boolean namespaced = record.text("namespace") != null;
        boolean accepted = "ACCEPTED".equals(record.text("outcome"));
        if ((OUTSIDE_THE_MODEL.contains(type) && accepted) || (namespaced && accepted)) {
            unmodelled.add(workspace);
            return;
        }
        String feature = record.text("feature");
        if (feature == null || namespaced) {
            return;
        }
        String key = workspace + "|" + feature;
        JsonNode body = record.body();
        if (type.equals("set-limit") && "LIMIT_SET".equals(record.text("code"))) {
            limits.put(key, new Limit(body.path("limit").asLong(), record.text("period"), record.text("enforcement")));
        } else if (type.equals("record-usage") && !body.path("dryRun").asBoolean(false)) {
            check(record, key, body);
        }
    }

    private void check(LoggedRecord record, String key, JsonNode body) {
        String code = record.text("code");
        Limit limit = limits.get(key);
        if (limit == null || !("OK".equals(code) || "QUOTA_EXCEEDED".equals(code))) {
            // No limit in the model: the engine answers NO_LIMIT_DEFINED; an invalid request changes nothing.
            if (limit == null && "OK".equals(code)) {
                violations.add(new Violation("I1", "'" + record.key() + "' " + record.text("feature")
                        + " accepted usage with no limit set", List.of(record.position())));
            }
            return;
        }
        checked++;
        String periodKey = key + "|" + periodStart(limit.period(), record.timestamp());
        long before = used.getOrDefault(periodKey, 0L);
        long amount = body.path("amount").asLong();
        boolean fits = !"HARD".equals(limit.enforcement()) || before + amount <= limit.limit();
        boolean accepted = "OK".equals(code);
        long after = accepted ? before + amount : before;
        used.put(periodKey, after);
        String what = "'" + record.key() + "' " + record.text("feature") + " amount " + amount + " with " + before
                + " used of " + limit.limit() + " (" + limit.enforcement() + ")";
        if (accepted && !fits) {
            violations.add(new Violation("I1", what + " was accepted past the limit", List.of(record.position())));
        } else if (!accepted && fits) {
            violations.add(new Violation("I1", what + " was refused though it fit", List.of(record.position())));
        } else if (body.path("limit").asLong() != limit.limit() || body.path("used").asLong() != after) {
            violations.add(new Violation("I1", what + " reports used " + body.path("used").asLong() + " of limit "
                    + body.path("limit").asLong() + ", the model " + after + " of " + limit.limit(),
                    List.of(record.position())));
        }
    }

    /** The start of the UTC calendar period an instant falls in; LIFETIME has one period. */
    static String periodStart(String period, long atMs) {
        ZonedDateTime at = Instant.ofEpochMilli(atMs).atZone(ZoneOffset.UTC);
        return switch (String.valueOf(period)) {
            case "HOUR" -> at.truncatedTo(ChronoUnit.HOURS).toInstant().toString();
            case "DAY" -> at.truncatedTo(ChronoUnit.DAYS).toInstant().toString();
            case "MONTH" -> at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant().toString();
            default -> "lifetime";
        };
    }

    @Override
    public String summary() {
        return String.format("I1 usage against a model of direct limits: %,d usage records checked, %,d workspaces"
                + " left to the decisions' own figures (packages, boosts, reservations or namespaces)", checked,
                unmodelled.size());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
