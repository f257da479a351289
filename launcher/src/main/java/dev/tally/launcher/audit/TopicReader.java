package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic from its start to the end it had when the read began, as a consumer with
 * {@code read_committed} would (aborted transactions skipped), one partition after another so that
 * each partition's records arrive in order. Joins no group and commits nothing.
 */
final class TopicReader {

    private final Properties config;
    private final Duration timeout;

    /** @param client the bootstrap servers and any security settings, which the reading settings then replace */
    TopicReader(Map<String, ?> client, Duration timeout) {
        this.config = new Properties();
        config.putAll(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        this.timeout = timeout;
    }

    /** Hands every record of {@code topic} to {@code sink}; returns how many. A missing topic reads as empty. */
    long read(String topic, Consumer<LoggedRecord> sink) {
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            partitions.sort(Comparator.comparingInt(TopicPartition::partition));
            long count = 0;
            for (TopicPartition partition : partitions) {
                count += readPartition(consumer, partition, sink);
            }
            return count;
        }
    }

    private long readPartition(KafkaConsumer<String, byte[]> consumer, TopicPartition partition,
                               Consumer<LoggedRecord> sink) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        // Under read_committed the end offset is the last stable offset: nothing past it is readable yet.
        Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition), timeout);
        long endOffset = end.get(partition);
        long count = 0;
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < endOffset) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("could not read " + partition + " to offset " + endOffset + " within "
                        + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                sink.accept(new LoggedRecord(record.topic(), record.partition(), record.offset(), record.key(),
                        record.timestamp(), headers(record), parse(record.value())));
                count++;
            }
        }
        return count;
    }

    /** Each header's last value as UTF-8 text: tally's headers are text (TallyHeaders). */
    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static JsonNode parse(byte[] value) {
        if (value == null) {
            return MissingNode.getInstance();
        }
        try {
            return Json.mapper().readTree(value);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
