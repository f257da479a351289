package dev.tally.topology;

import dev.tally.contract.TallyHeaders;
import dev.tally.contract.TopicNames;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.claims.ClaimScopes;
import dev.tally.topology.engine.EngineMeters;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
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
 * The whole topology in a {@link TopologyTestDriver}, and the topics every domain's harness shares: the
 * replies a gateway reads and the dead letters. Every record in the driver sits in partition 0, so with
 * one partition every key is in its right partition.
 */
public final class EngineDriver implements AutoCloseable {

    public static final long RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final long COMPOSITE_TIMEOUT_MS = 10_000;
    public static final ClaimScopes CLAIM_SCOPES = ClaimScopes.parse(
            List.of("tenant-slug=slug", "customer-phone=phone", "customer-email=email"));

    /** The driver's wall clock at start; tests advance it to fire wall-clock punctuations. */
    public static final Instant CLOCK_START = Instant.parse("2026-10-18T10:00:00Z");

    public final TopicNames topics = TopicNames.withDefaultPrefix();
    private final TopologyTestDriver driver;
    public final TestOutputTopic<String, byte[]> replies;
    public final TestOutputTopic<String, byte[]> deadLetters;

    public EngineDriver(Path stateDir, int partitions) {
        this(stateDir, partitions, EngineMeters.NONE);
    }

    /** With {@code meters} counting what the engine decides, for tests of the meters. */
    public EngineDriver(Path stateDir, int partitions, EngineMeters meters) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tally-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        driver = new TopologyTestDriver(
                TallyTopology.build(new TopologySettings(topics, partitions, RETENTION_MS, CLAIM_SCOPES,
                        COMPOSITE_TIMEOUT_MS, meters)), props, CLOCK_START);
        replies = driver.createOutputTopic(topics.replies(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    public TestInputTopic<String, byte[]> input(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    public TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends a record as the gateway does and returns the reply it gets, or null if none. */
    public TestRecord<String, byte[]> call(TestInputTopic<String, byte[]> topic, String key, byte[] value,
                                           Instant at) {
        String correlationId = UUID.randomUUID().toString();
        Headers headers = new RecordHeaders()
                .add(TallyHeaders.REPLY_PARTITION, TallyHeaders.bytes("0"))
                .add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes(correlationId));
        topic.pipeInput(new TestRecord<>(key, value, headers, at));
        return replies.readRecordsToList().stream()
                .filter(r -> correlationId.equals(TallyHeaders.text(r.headers(), TallyHeaders.CORRELATION_ID)))
                .findFirst()
                .orElse(null);
    }

    public static <T> T read(RequestCodec<T> codec, byte[] bytes) {
        try {
            return codec.read(bytes);
        } catch (RequestCodec.UnreadableException e) {
            throw new AssertionError("engine wrote unreadable JSON: " + e.getMessage() + " in "
                    + new String(bytes, java.nio.charset.StandardCharsets.UTF_8), e);
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
