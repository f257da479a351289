package dev.tally.launcher.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Tails a usage decisions topic (read_committed, as a client sees it) and notes when each workspace's
 * decisions of {@link UsageTraffic} requests arrive, so that a test can tell how long after a fault every
 * workspace was decided again.
 */
public final class DecisionWatch implements AutoCloseable {

    /** Per workspace: the arrival time (nanoTime) of the decision of each request seq seen so far. */
    private final Map<String, Map<Long, Long>> arrivals = new HashMap<>();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private final CompletableFuture<Void> tail;

    public DecisionWatch(String bootstrapServers, String topic) {
        KafkaConsumer<String, byte[]> consumer = TestClients.committedReader(bootstrapServers, topic);
        // A thread of its own: it runs until closed, and must not hold a worker of a shared pool.
        tail = CompletableFuture.runAsync(() -> {
            try (consumer) {
                while (watching.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        String id = TestClients.parse(record.value()).requestId();
                        if (id.startsWith("u-")) {
                            long now = System.nanoTime();
                            synchronized (arrivals) {
                                arrivals.computeIfAbsent(record.key(), ws -> new HashMap<>())
                                        .putIfAbsent(Long.parseLong(id.substring(2)), now);
                            }
                        }
                    }
                }
            }
        }, runnable -> new Thread(runnable, "decision-watch").start());
    }

    /**
     * Waits until every one of {@code workspaces} has a decision of a request sent from {@code fromSeq} on,
     * and returns how long after {@code sinceNs} the last of them arrived: the time until all were decided
     * again.
     */
    public Duration awaitResumed(Set<String> workspaces, long fromSeq, long sinceNs, Duration timeout) {
        Map<String, Long> first = new HashMap<>();
        Await.until(timeout, () -> {
            synchronized (arrivals) {
                for (String ws : workspaces) {
                    arrivals.getOrDefault(ws, Map.of()).entrySet().stream()
                            .filter(e -> e.getKey() >= fromSeq)
                            .mapToLong(Map.Entry::getValue).min()
                            .ifPresent(at -> first.put(ws, at));
                }
            }
            return first.keySet().containsAll(workspaces);
        }, () -> "decisions of requests from seq " + fromSeq + " for every workspace; resumed: " + first.keySet());
        long lastNs = first.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return Duration.ofNanos(Math.max(0, lastNs - sinceNs));
    }

    /**
     * The longest time any of {@code workspaces} went without a decision between {@code fromNs} and
     * {@code toNs} (nanoTime), the window's edges included: how long its callers would have waited.
     */
    public Duration longestGap(Set<String> workspaces, long fromNs, long toNs) {
        long longest = 0;
        for (String ws : workspaces) {
            List<Long> times;
            synchronized (arrivals) {
                times = arrivals.getOrDefault(ws, Map.of()).values().stream()
                        .filter(at -> at >= fromNs && at <= toNs).sorted().toList();
            }
            long previous = fromNs;
            for (long at : times) {
                longest = Math.max(longest, at - previous);
                previous = at;
            }
            longest = Math.max(longest, toNs - previous);
        }
        return Duration.ofNanos(longest);
    }

    @Override
    public void close() {
        watching.set(false);
        tail.orTimeout(30, TimeUnit.SECONDS).join();
    }
}
