package dev.tally.gateway.kafka;

import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.Reply;
import dev.tally.gateway.SendFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the replies addressed to this gateway instance, on its own thread, and hands each to its waiting
 * call. The replies topic is shared by the gateway group: each instance reads only the partitions the
 * group assigns it, so adding gateways does not make each read every reply.
 *
 * <p>A partition becomes usable as a reply address only once this consumer's position on it is fixed at
 * its end: a reply the engine writes after that is sure to be read, and nothing older is.
 */
public final class ReplyListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final PendingReplies pending;
    private final Thread thread;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger roundRobin = new AtomicInteger();
    // Assigned but not yet positioned (position() timed out): retried before every poll.
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    // Published to request threads: replaced whole, never mutated.
    private volatile int[] usable = new int[0];

    public ReplyListener(Consumer<String, byte[]> consumer, String topic, PendingReplies pending) {
        this.consumer = consumer;
        this.topic = topic;
        this.pending = pending;
        this.thread = new Thread(this::run, "tally-gateway-replies");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A partition to name as reply address, or -1 while this instance reads none. */
    public int replyPartition() {
        int[] partitions = usable;
        if (partitions.length == 0) {
            return -1;
        }
        // Spread calls over the partitions this instance owns.
        return partitions[Math.floorMod(roundRobin.getAndIncrement(), partitions.length)];
    }

    public boolean hasReplyPartition() {
        return usable.length > 0;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!closing.get()) {
                positionPending();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            if (!closing.get()) {
                log.error("reply listener woken up unexpectedly; no more replies will be read", e);
            }
        } catch (RuntimeException e) {
            log.error("reply listener failed; this gateway answers no more calls until restarted", e);
        } finally {
            usable = new int[0];
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        String correlationId = TallyHeaders.text(record.headers(), TallyHeaders.CORRELATION_ID);
        if (correlationId == null) {
            correlationId = record.key();
        }
        String code = TallyHeaders.text(record.headers(), TallyHeaders.CODE);
        String kind = TallyHeaders.text(record.headers(), TallyHeaders.REPLY_KIND);
        if (correlationId == null) {
            log.warn("skipping reply without correlation id at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (code == null || kind == null || record.value() == null) {
            log.warn("reply {} at {}-{}@{} lacks its code, kind or body", correlationId, record.topic(),
                    record.partition(), record.offset());
            pending.fail(correlationId, new SendFailure(SendFailure.Kind.UNAVAILABLE,
                    "the engine's reply could not be read; retrying with the same requestId is safe"));
            return;
        }
        if (!pending.complete(correlationId, new Reply(code, kind, record.value()))) {
            // Late (its call timed out) or meant for the previous owner of this partition: not an error.
            log.debug("dropping reply {} that no call waits for, at {}-{}@{}", correlationId, record.topic(),
                    record.partition(), record.offset());
        }
    }

    private void positionPending() {
        if (unpositioned.isEmpty()) {
            return;
        }
        Set<TopicPartition> done = new HashSet<>();
        for (TopicPartition partition : unpositioned) {
            try {
                consumer.position(partition, POSITION_TIMEOUT);
                done.add(partition);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.warn("position of reply partition {} not known yet; retrying", partition);
            }
        }
        unpositioned.removeAll(done);
        publish(done, Set.of());
    }

    /** Poll thread only; request threads see the result through the volatile array. */
    private void publish(Collection<TopicPartition> added, Collection<TopicPartition> removed) {
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        Set<Integer> next = new HashSet<>();
        for (int p : usable) {
            next.add(p);
        }
        removed.forEach(tp -> next.remove(tp.partition()));
        added.forEach(tp -> next.add(tp.partition()));
        usable = next.stream().mapToInt(Integer::intValue).sorted().toArray();
        log.info("reply partitions of this gateway: {}", next);
    }

    /** Wakes the poll loop and waits for the consumer to close. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        usable = new int[0];
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on the poll thread, inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // No committed offsets: older replies are for calls that no longer wait, here or anywhere.
            consumer.seekToEnd(partitions);
            unpositioned.addAll(partitions);
            positionPending();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Calls already waiting on these partitions time out (504, safe to retry); new calls go elsewhere.
            unpositioned.removeAll(partitions);
            publish(Set.of(), partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
