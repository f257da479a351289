package dev.tally.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.contract.TallyHeaders;
import dev.tally.contract.TopicNames;
import dev.tally.gateway.Reply;
import dev.tally.gateway.SendFailure;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.usage.UsageRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka side of a call over mock clients: what is produced, and how its reply comes back. */
@Timeout(30)
class KafkaRequestSenderTest {

    private static final String REQUESTS = "t.usage.requests";
    private static final String REPLIES = "t.replies";
    private static final TopicPartition REPLY_PARTITION = new TopicPartition(REPLIES, 2);
    private static final RecordUsage REQUEST = new RecordUsage("r-1", "acme", null, "ai.tokens", 5L, null);

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
    private final PendingReplies pending = new PendingReplies(10, 60_000);
    private final ReplyListener listener = new ReplyListener(consumer, REPLIES, pending);
    private final KafkaRequestSender sender = new KafkaRequestSender(producer, listener, pending, new TopicNames("t."));

    @AfterEach
    void close() {
        sender.close();
    }

    @Test
    void aRequestIsProducedUnderItsEntityKeyWithItsReplyAddress() throws Exception {
        givenAssignedReplyPartition();

        CompletableFuture<Reply> call = sender.send(REQUEST);

        assertThat(call).isNotDone();
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo(REQUESTS);
        assertThat(record.key()).isEqualTo("acme");
        assertThat(record.partition()).as("left to the default partitioner").isNull();
        assertThat(RequestCodec.of(UsageRequest.class).read(record.value())).isEqualTo(REQUEST);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"type\":\"record-usage\"");
        assertThat(TallyHeaders.text(record.headers(), TallyHeaders.REPLY_PARTITION)).isEqualTo("2");
        assertThat(UUID.fromString(TallyHeaders.text(record.headers(), TallyHeaders.CORRELATION_ID))).isNotNull();
        assertThat(sender.pending()).isEqualTo(1);
    }

    @Test
    void aClaimGoesToTheClaimsTopicUnderItsScopeAndValue() throws Exception {
        givenAssignedReplyPartition();
        CreateClaim claim = new CreateClaim("c-1", "tenant-slug", "acme", "ws_1", null, null);

        sender.send(claim);

        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("t.claims.requests");
        assertThat(record.key()).isEqualTo("tenant-slug/acme");
        assertThat(RequestCodec.of(ClaimRequest.class).read(record.value())).isEqualTo(claim);
    }

    @Test
    void twoCallsWithOneRequestIdEachGetTheirOwnReply() throws Exception {
        givenAssignedReplyPartition();

        CompletableFuture<Reply> first = sender.send(REQUEST);
        CompletableFuture<Reply> second = sender.send(REQUEST);
        String firstId = TallyHeaders.text(producer.history().get(0).headers(), TallyHeaders.CORRELATION_ID);
        String secondId = TallyHeaders.text(producer.history().get(1).headers(), TallyHeaders.CORRELATION_ID);
        assertThat(firstId).isNotEqualTo(secondId);

        onPollThread(() -> {
            consumer.addRecord(reply(0, secondId, "{\"second\":true}"));
            consumer.addRecord(reply(1, firstId, "{\"first\":true}"));
        });

        assertThat(body(first.get(10, TimeUnit.SECONDS))).isEqualTo("{\"first\":true}");
        assertThat(body(second.get(10, TimeUnit.SECONDS))).isEqualTo("{\"second\":true}");
        assertThat(sender.pending()).isZero();
    }

    @Test
    void withoutAReplyPartitionNothingIsSent() {
        listener.start();

        CompletableFuture<Reply> call = sender.send(REQUEST);

        assertFailure(call, SendFailure.Kind.NOT_READY);
        assertThat(sender.isReady()).isFalse();
        assertThat(producer.history()).isEmpty();
        assertThat(sender.pending()).isZero();
    }

    @Test
    void aFailedSendEndsTheCallAndFreesItsPlace() throws Exception {
        givenAssignedReplyPartition();
        CompletableFuture<Reply> call = sender.send(REQUEST);

        producer.errorNext(new NetworkException("broker gone"));

        assertFailure(call, SendFailure.Kind.UNAVAILABLE);
        assertThat(sender.pending()).isZero();
    }

    @Test
    void closingEndsWaitingCallsAndRefusesNewOnes() throws Exception {
        givenAssignedReplyPartition();
        CompletableFuture<Reply> call = sender.send(REQUEST);

        sender.close();

        assertFailure(call, SendFailure.Kind.UNAVAILABLE);
        assertFailure(sender.send(REQUEST), SendFailure.Kind.UNAVAILABLE);
        assertThat(sender.isReady()).isFalse();
        assertThat(sender.pending()).isZero();
        assertThat(producer.closed()).isTrue();
        assertThat(consumer.closed()).isTrue();
    }

    private void givenAssignedReplyPartition() throws InterruptedException {
        consumer.updateEndOffsets(Map.of(REPLY_PARTITION, 0L));
        listener.start();
        onPollThread(() -> consumer.rebalance(List.of(REPLY_PARTITION)));
        assertThat(sender.isReady()).isTrue();
    }

    private void onPollThread(Runnable task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            task.run();
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).as("poll task ran").isTrue();
    }

    private static void assertFailure(CompletableFuture<Reply> call, SendFailure.Kind kind) {
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(SendFailure.class, f -> assertThat(f.kind()).isEqualTo(kind));
    }

    private static String body(Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, byte[]> reply(long offset, String correlationId, String body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes(correlationId));
        headers.add(TallyHeaders.CODE, TallyHeaders.bytes("OK"));
        headers.add(TallyHeaders.REPLY_KIND, TallyHeaders.bytes(TallyHeaders.KIND_DECISION));
        return new ConsumerRecord<>(REPLIES, REPLY_PARTITION.partition(), offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                correlationId, body.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
