package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A usage decision's reported figures set against the model's binding scope. */
final class ReportedFigures {

    private static final String PERIOD_START = "periodStart";

    private ReportedFigures() {
    }

    /** The reported figures that differ from the model's, as {@code field X (the model Y)}; empty if none. */
    static String mismatches(JsonNode body, AuditedScope reported) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("scope", reported == null ? null : reported.name());
        if (reported != null) {
            AuditedEffectiveLimit limit = reported.limit();
            AuditedAccount account = reported.account();
            model.put("kind", limit.kind());
            model.put("limit", limit.metered() ? limit.limit() : null);
            model.put("enforcement", limit.metered() ? limit.enforcement() : null);
            model.put("period", account.period);
            model.put(PERIOD_START, account.period.equals("LIFETIME") ? null
                    : Instant.ofEpochMilli(account.periodStartMs).toString());
            model.put("used", account.used);
            model.put("reserved", account.reserved);
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Object> field : model.entrySet()) {
            Object decided = reportedValue(body.path(field.getKey()), field.getKey().equals(PERIOD_START));
            if (!Objects.equals(decided, field.getValue())) {
                differences.add(field.getKey() + " " + decided + " (the model " + field.getValue() + ")");
            }
        }
        return String.join(", ", differences);
    }

    /**
     * A field as the model holds such values: a number as a long, an instant in one spelling, absent as null.
     * Only the instant field is parsed as one: a parse that fails costs an exception, on every decision checked.
     */
    private static Object reportedValue(JsonNode node, boolean instant) {
        if (node.isNumber()) {
            return node.asLong();
        }
        if (!node.isTextual()) {
            return null;
        }
        if (!instant) {
            return node.asText();
        }
        try {
            return Instant.parse(node.asText()).toString();
        } catch (DateTimeParseException notAnInstant) {
            return node.asText();
        }
    }
}
