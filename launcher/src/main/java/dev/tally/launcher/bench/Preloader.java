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
