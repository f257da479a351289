package dev.tally.launcher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.Json;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.UsageDecision;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients as any producer or consumer of tally's topics would use them. */
public final class TestClients {

    private static final RequestCodec<UsageDecision> DECISIONS = RequestCodec.of(UsageDecision.class);

    private TestClients() {
    }

    /** An idempotent producer of JSON text, keyed by workspace like the contract says. */
    public static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** A read_committed consumer with no group, assigned every partition of the topic from the start. */
    public static KafkaConsumer<String, byte[]> committedReader(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** A decision record: its key and body, and where it sat. */
    public record Decided(String key, int partition, long offset, UsageDecision decision) {
    }

    /** The position of the record a dead letter stands for, from its headers, as the engine writes it. */
    public static String deadLetterPosition(ConsumerRecord<?, ?> letter) {
        return TallyHeaders.position(TallyHeaders.text(letter.headers(), TallyHeaders.DLQ_TOPIC),
                TallyHeaders.text(letter.headers(), TallyHeaders.DLQ_PARTITION),
                TallyHeaders.text(letter.headers(), TallyHeaders.DLQ_OFFSET));
    }

    /** A record's JSON value as a tree: decisions of any domain, read as a client would. */
    public static JsonNode json(byte[] value) {
        try {
            return Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new AssertionError("a record value that is not JSON: " + e.getMessage(), e);
        }
    }

    public static UsageDecision parse(byte[] json) {
        try {
            return DECISIONS.read(json);
        } catch (RequestCodec.UnreadableException e) {
            throw new AssertionError("decision is not a UsageDecision: " + e.getMessage());
        }
    }

    /**
     * Reads the decisions topic (read_committed) from the start until {@code done} holds for what was
     * read, or fails at the deadline. Decisions come in topic order within each partition.
     */
    public static List<Decided> readDecisionsUntil(String bootstrapServers, String topic, Duration timeout,
                                                   Predicate<List<Decided>> done) {
        List<Decided> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader(bootstrapServers, topic)) {
            long deadlineNs = System.nanoTime() + timeout.toNanos();
            while (!done.test(Collections.unmodifiableList(read))) {
                if (System.nanoTime() > deadlineNs) {
                    throw new AssertionError("decisions on " + topic + " not complete within " + timeout.toMillis()
                            + " ms; read " + read.size());
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    read.add(new Decided(record.key(), record.partition(), record.offset(), parse(record.value())));
                }
            }
        }
        return read;
    }

    /** Reads every usage decision committed up to now: up to the end offsets (the LSO under read_committed). */
    public static List<Decided> readAllCommitted(String bootstrapServers, String topic, Duration timeout) {
        return readAllCommittedRecords(bootstrapServers, topic, timeout).stream()
                .map(record -> new Decided(record.key(), record.partition(), record.offset(), parse(record.value())))
                .collect(Collectors.toList());
    }

    /** Reads every record of any topic committed up to now, headers and all, in order within each partition. */
    public static List<ConsumerRecord<String, byte[]>> readAllCommittedRecords(String bootstrapServers, String topic,
                                                                               Duration timeout) {
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader(bootstrapServers, topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadlineNs = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadlineNs) {
                    throw new AssertionError("could not read " + topic + " to its end within " + timeout.toMillis()
                            + " ms; read " + read.size());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        return read;
    }
}
