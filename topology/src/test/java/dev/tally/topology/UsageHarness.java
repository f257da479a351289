package dev.tally.topology;

import dev.tally.contract.TallyHeaders;
import dev.tally.contract.TopicNames;
import dev.tally.schemas.Json;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import dev.tally.schemas.usage.UsageRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The whole topology in a {@link TopologyTestDriver}, with helpers to send usage requests at a given
 * record time and read what came out. Every record in the driver sits in partition 0, so with one
 * partition every key is in its right partition.
 */
public final class UsageHarness implements AutoCloseable {

    public static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);
    public static final RequestCodec<UsageDecision> DECISIONS = RequestCodec.of(UsageDecision.class);
    public static final RequestCodec<UsageReport> REPORTS = RequestCodec.of(UsageReport.class);
    public static final long RETENTION_MS = 24L * 60 * 60 * 1000;

    public final TopicNames topics = TopicNames.withDefaultPrefix();
    private final TopologyTestDriver driver;
    public final TestInputTopic<String, byte[]> requests;
    public final TestOutputTopic<String, byte[]> decisions;
    public final TestOutputTopic<String, byte[]> replies;
    public final TestOutputTopic<String, byte[]> deadLetters;

    public UsageHarness(Path stateDir) {
        this(stateDir, 1);
    }

    public UsageHarness(Path stateDir, int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tally-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        driver = new TopologyTestDriver(
                TallyTopology.build(new TopologySettings(topics, partitions, RETENTION_MS)), props);
        requests = driver.createInputTopic(topics.usageRequests(), new StringSerializer(), new ByteArraySerializer());
        decisions = driver.createOutputTopic(topics.usageDecisions(), new StringDeserializer(),
                new ByteArrayDeserializer());
        replies = driver.createOutputTopic(topics.replies(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Publishes a request as a direct producer would: keyed by its entity key, no reply wanted. */
    public void publish(UsageRequest request, Instant at) {
        requests.pipeInput(new TestRecord<>(request.entityKey(), REQUESTS.write(request), at));
    }

    /** Sends a request as the gateway does and returns the reply body it gets (or null if none). */
    public TestRecord<String, byte[]> call(UsageRequest request, Instant at) {
        String correlationId = UUID.randomUUID().toString();
        org.apache.kafka.common.header.Headers headers = new RecordHeaders()
                .add(TallyHeaders.REPLY_PARTITION, TallyHeaders.bytes("0"))
                .add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes(correlationId));
        requests.pipeInput(new TestRecord<>(request.entityKey(), REQUESTS.write(request), headers, at));
        List<TestRecord<String, byte[]>> answers = replies.readRecordsToList();
        return answers.stream()
                .filter(r -> correlationId.equals(TallyHeaders.text(r.headers(), TallyHeaders.CORRELATION_ID)))
                .findFirst()
                .orElse(null);
    }

    /** Sends a request as the gateway does and returns the decision it is answered with. */
    public UsageDecision decide(UsageRequest request, Instant at) {
        TestRecord<String, byte[]> reply = call(request, at);
        if (reply == null) {
            throw new AssertionError("no reply for " + request);
        }
        return read(DECISIONS, reply.value());
    }

    public UsageReport report(UsageRequest read, Instant at) {
        return read(REPORTS, call(read, at).value());
    }

    public List<UsageDecision> drainDecisions() {
        return decisions.readValuesToList().stream().map(v -> read(DECISIONS, v)).toList();
    }

    public static <T> T read(RequestCodec<T> codec, byte[] bytes) {
        try {
            return codec.read(bytes);
        } catch (RequestCodec.UnreadableException e) {
            throw new AssertionError("engine wrote unreadable JSON: " + e.getMessage() + " in "
                    + new String(bytes, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    public static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
