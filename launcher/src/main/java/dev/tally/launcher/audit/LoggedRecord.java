package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.TallyHeaders;
import java.util.Map;

/**
 * One record the audit read: where it sat, its key, its timestamp, its headers as text, and its JSON body
 * (a missing node if it is not JSON).
 */
public record LoggedRecord(String topic, int partition, long offset, String key, long timestamp,
                           Map<String, String> headers, JsonNode body) {

    /** {@code topic-partition@offset}: how a violation points at the records behind it. */
    public String position() {
        return TallyHeaders.position(topic, partition, offset);
    }

    /** A text field of the body, or null when absent. */
    public String text(String field) {
        JsonNode node = body.path(field);
        return node.isTextual() ? node.asText() : null;
    }

    /** A header's last value, or null. */
    public String header(String name) {
        return headers.get(name);
    }
}
