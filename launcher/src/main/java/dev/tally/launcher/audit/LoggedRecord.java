package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;

/** One record the audit read: where it sat, its key, and its JSON body (a missing node if not JSON). */
public record LoggedRecord(String topic, int partition, long offset, String key, JsonNode body) {

    /** {@code topic-partition@offset}: how a violation points at the records behind it. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    /** A text field of the body, or null when absent. */
    public String text(String field) {
        JsonNode node = body.path(field);
        return node.isTextual() ? node.asText() : null;
    }
}
