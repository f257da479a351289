package dev.tally.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names on tally's records, and how to read them. Values are UTF-8 text so that any client (kcat,
 * librdkafka) can set and read them.
 */
public final class TallyHeaders {

    /** On a request: the replies-topic partition the gateway that sent it reads. Absent: no reply wanted. */
    public static final String REPLY_PARTITION = "tally-reply-partition";
    /** On a request and its reply: matches the reply to the waiting HTTP call (not the requestId). */
    public static final String CORRELATION_ID = "tally-correlation-id";
    /** On a reply and a decision: the decision code, so a reader can route without parsing the body. */
    public static final String CODE = "tally-code";
    /** On a reply: what the body is, {@code decision} or {@code report}. */
    public static final String REPLY_KIND = "tally-reply-kind";
    /** On a request the engine re-routed: where the original record sat (topic-partition@offset). */
    public static final String REROUTED_FROM = "tally-rerouted-from";

    /** On a dead letter: why it could not be read. */
    public static final String DLQ_REASON = "tally-dlq-reason";
    /** On a dead letter: the topic, partition and offset it was read from. */
    public static final String DLQ_TOPIC = "tally-dlq-topic";
    public static final String DLQ_PARTITION = "tally-dlq-partition";
    public static final String DLQ_OFFSET = "tally-dlq-offset";

    public static final String KIND_DECISION = "decision";
    public static final String KIND_REPORT = "report";

    private TallyHeaders() {
    }

    /**
     * How tally names where a record sits, {@code topic-partition@offset}: in {@link #REROUTED_FROM}, in the
     * id of a decision whose request had none, and what the {@code tally-dlq-*} headers add up to. The engine
     * writes it and readers (the audit, clients) match on it, so there is one spelling.
     */
    public static String position(String topic, int partition, long offset) {
        return position(topic, Integer.toString(partition), Long.toString(offset));
    }

    /** {@link #position(String, int, long)} from the text of the dead-letter headers. */
    public static String position(String topic, String partition, String offset) {
        return topic + "-" + partition + "@" + offset;
    }

    /** The last value of a header as text, or null. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
