package dev.tally.launcher.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * One producer sending at a steady rate, in a thread of its own, until stopped: the load the fault tests
 * keep up through each fault. What it sends is the caller's; the schedule is this class's.
 */
public final class PacedStream implements AutoCloseable {

    /** Sends the stream's request number {@code seq} (0, 1, ...). */
    public interface Step {
        void send(KafkaProducer<String, String> producer, long seq);
    }

    private final AtomicBoolean streaming = new AtomicBoolean(true);
    private final CompletableFuture<Void> stream;

    /** Starts: {@code setup} sends first, then {@code step} about {@code perSecond} times a second. */
    public PacedStream(String name, String bootstrapServers, int perSecond,
                       Consumer<KafkaProducer<String, String>> setup, Step step) {
        // A thread of its own: it runs until stopped, and must not hold a worker of a shared pool.
        stream = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, String> producer = TestClients.producer(bootstrapServers)) {
                setup.accept(producer);
                long startNs = System.nanoTime();
                long intervalNs = TimeUnit.SECONDS.toNanos(1) / perSecond;
                for (long seq = 0; streaming.get(); seq++) {
                    step.send(producer, seq);
                    // Pacing the load, not waiting for Kafka: the next request's time in the schedule.
                    LockSupport.parkNanos(startNs + (seq + 1) * intervalNs - System.nanoTime());
                }
            }
        }, runnable -> new Thread(runnable, name).start());
    }

    /** Stops; everything sent is acknowledged by the broker when this returns. */
    public void stop() throws Exception {
        streaming.set(false);
        stream.get(60, TimeUnit.SECONDS);
    }

    /** Stops if a failed test left it running, so that it sends nothing into the next test. */
    @Override
    public void close() {
        streaming.set(false);
        stream.orTimeout(60, TimeUnit.SECONDS).exceptionally(failure -> null).join();
    }
}
