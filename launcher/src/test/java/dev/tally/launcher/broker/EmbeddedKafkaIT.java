package dev.tally.launcher.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-JVM broker itself, on a data dir of its own (not the shared test broker): it must take
 * transactions, as the engine's exactly-once processing needs, and keep its data across a restart, as
 * {@code tally dev} promises.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaIT {

    private static final String TOPIC = "it.embedded.records";

    @TempDir
    Path dataDir;

    @Test
    void takesTransactionsAndKeepsCommittedDataAcrossARestart() throws Exception {
        String clusterId;
        // Given a broker on a new data dir, with a topic
        try (EmbeddedKafka broker = EmbeddedKafka.start(dataDir, 0, 0)) {
            clusterId = clusterId(broker);
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }

            // When one transaction commits three records and another aborts one
            try (KafkaProducer<String, String> producer = transactionalProducer(broker)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "a", "committed-1"));
                producer.send(new ProducerRecord<>(TOPIC, "b", "committed-2"));
                producer.send(new ProducerRecord<>(TOPIC, "a", "committed-3"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "a", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }

            // Then a read_committed consumer sees exactly the committed records
            assertThat(readCommitted(broker)).containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
        }

        // When the broker stops and starts again on the same data dir (on other ports)
        try (EmbeddedKafka restarted = EmbeddedKafka.start(dataDir, 0, 0)) {
            // Then it is the same cluster (the storage was not formatted again) and the data is still there
            assertThat(clusterId(restarted)).isEqualTo(clusterId);
            assertThat(readCommitted(restarted)).containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");

            // And it still takes transactions
            try (KafkaProducer<String, String> producer = transactionalProducer(restarted)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "b", "after-restart"));
                producer.commitTransaction();
            }
            assertThat(readCommitted(restarted))
                    .containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3", "after-restart");
        }
    }

    private static Admin admin(EmbeddedKafka broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static String clusterId(EmbeddedKafka broker) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-embedded-tx");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Every committed value, reading each partition up to its last stable offset. */
    private static List<String> readCommitted(EmbeddedKafka broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadlineNs = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read to the end within 30 s").isLessThan(deadlineNs);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
