package dev.tally.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reply listener over a mock consumer: assignment, delivery, late replies, revocation. */
@Timeout(30)
class ReplyListenerTest {

    private static final String TOPIC = "t.replies";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
    private final PendingReplies pending = new PendingReplies(10, 60_000);
    private final ReplyListener listener = new ReplyListener(consumer, TOPIC, pending);

    @AfterEach
    void close() {
        listener.close();
    }

    @Test
    void aPartitionIsUsableOnlyOnceAssignedAndPositionedAtItsEnd() throws Exception {
        consumer.updateEndOffsets(Map.of(P0, 7L, P1, 3L));
        listener.start();
        assertThat(listener.hasReplyPartition()).isFalse();
        assertThat(listener.replyPartition()).isEqualTo(-1);

        onPollThread(() -> consumer.rebalance(List.of(P0, P1)));

        assertThat(listener.hasReplyPartition()).isTrue();
        assertThat(List.of(listener.replyPartition(), listener.replyPartition())).containsExactlyInAnyOrder(0, 1);
        assertThat(fromPollThread(() -> consumer.position(P0))).isEqualTo(7L);
    }

    @Test
    void aReplyReachesItsCallAndOneNobodyWaitsForIsDroppedWithoutHarm() throws Exception {
        consumer.updateEndOffsets(Map.of(P0, 0L));
        listener.start();
        onPollThread(() -> consumer.rebalance(List.of(P0)));
        CompletableFuture<Reply> call = pending.register("c-1");

        onPollThread(() -> {
            consumer.addRecord(reply(0, "late-or-not-mine", "{\"late\":true}"));
            consumer.addRecord(reply(1, "c-1", "{\"code\":\"OK\"}"));
        });

        Reply reply = call.get(10, TimeUnit.SECONDS);
        assertThat(reply.code()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(reply.kind()).isEqualTo(TallyHeaders.KIND_DECISION);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":\"OK\"}");
        assertThat(pending.size()).isZero();
    }

    @Test
    void aRevokedPartitionIsNoLongerAReplyAddress() throws Exception {
        consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
        listener.start();
        onPollThread(() -> consumer.rebalance(List.of(P0, P1)));

        onPollThread(() -> consumer.rebalance(List.of(P1)));
        assertThat(List.of(listener.replyPartition(), listener.replyPartition())).containsOnly(1);

        onPollThread(() -> consumer.rebalance(List.of()));
        assertThat(listener.hasReplyPartition()).isFalse();
    }

    @Test
    void closingStopsThePollThreadAndClosesTheConsumer() throws Exception {
        consumer.updateEndOffsets(Map.of(P0, 0L));
        listener.start();
        onPollThread(() -> consumer.rebalance(List.of(P0)));

        listener.close();

        assertThat(consumer.closed()).isTrue();
        assertThat(listener.hasReplyPartition()).isFalse();
    }

    /** Runs {@code task} on the listener's poll thread, as Kafka runs rebalance callbacks, and waits for it. */
    private void onPollThread(Runnable task) throws InterruptedException {
        fromPollThread(() -> {
            task.run();
            return null;
        });
    }

    private <T> T fromPollThread(Supplier<T> task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Object[] result = new Object[1];
        consumer.schedulePollTask(() -> {
            result[0] = task.get();
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).as("poll task ran").isTrue();
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static ConsumerRecord<String, byte[]> reply(long offset, String correlationId, String body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes(correlationId));
        headers.add(TallyHeaders.CODE, TallyHeaders.bytes("QUOTA_EXCEEDED"));
        headers.add(TallyHeaders.REPLY_KIND, TallyHeaders.bytes(TallyHeaders.KIND_DECISION));
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, correlationId,
                body.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
