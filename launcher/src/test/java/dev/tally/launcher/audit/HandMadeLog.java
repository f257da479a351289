package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.HashMap;
import java.util.Map;

/**
 * A hand-made log for the audit's checks: records as the audit reads them, each at the next offset of its
 * topic's partition, with a JSON body written as text.
 */
final class HandMadeLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topicPrefix;
    private final Map<String, Long> nextOffsets = new HashMap<>();

    /** @param topicPrefix put before every topic name given, as the engine's topic prefix is */
    HandMadeLog(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    /**
     * @param topic the topic without its prefix ({@code usage.decisions})
     * @param json  the body; null for a record without one (the audit reads it as a missing node)
     */
    LoggedRecord record(String topic, int partition, String key, long timestamp, Map<String, String> headers,
                        String json) {
        long offset = nextOffsets.merge(topicPrefix + topic + "-" + partition, 1L, Long::sum) - 1;
        return new LoggedRecord(topicPrefix + topic, partition, offset, key, timestamp, headers, body(json));
    }

    /** A record in partition 0, at timestamp 0, without headers. */
    LoggedRecord record(String topic, String key, String json) {
        return record(topic, 0, key, 0, Map.of(), json);
    }

    private static JsonNode body(String json) {
        if (json == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            // A typo in a test's JSON must fail the test, not pass as a record that is not JSON
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
