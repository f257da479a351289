package dev.tally.launcher.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a benchmark's backlog as fast as the broker takes it, and fails if any record was not written:
 * a record lost to a delivery timeout would leave the engine short of the end offset it is timed to,
 * and the run would wait until its deadline instead of saying why.
 */
final class Preloader implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private long sent;

    Preloader(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Right after the topics are created, the broker answers NOT_LEADER_OR_FOLLOWER for a moment. The
        // idempotent producer then got its sequence numbers out of step with the broker's and retried
        // OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout, losing records (seen in several runs).
        // One request in flight keeps the order without sequence numbers; a retry after a lost answer may
        // write a record twice, which the engine answers from its request-id memory and the drain check
        // (committed offsets at least the records sent) tolerates.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    void send(String topic, String key, byte[] value) {
        sent++;
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    long sent() {
        return sent;
    }

    /** Flushes, and throws if any record could not be written. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + sent + " pre-loaded records were not written;"
                    + " the first failure: " + firstFailure.get());
        }
    }
}
