package dev.tally.gateway.kafka;

import dev.tally.contract.RequestLogContext;
import dev.tally.contract.TallyHeaders;
import dev.tally.contract.TopicNames;
import dev.tally.gateway.Reply;
import dev.tally.gateway.RequestSender;
import dev.tally.gateway.SendFailure;
import dev.tally.schemas.Request;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each request under its entity key, addressed to a reply partition this instance reads and
 * tagged with a fresh correlation id, and waits for the reply. The correlation id is per call, not the
 * requestId: two calls may carry one requestId (a retry racing the first try) and each needs its answer.
 */
public final class KafkaRequestSender implements RequestSender, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaRequestSender.class);

    private final Producer<String, byte[]> producer;
    private final ReplyListener listener;
    private final PendingReplies pending;
    private final RequestRecords records;
    private final AtomicBoolean closed = new AtomicBoolean();

    public KafkaRequestSender(Producer<String, byte[]> producer, ReplyListener listener, PendingReplies pending,
                              TopicNames topics) {
        this.producer = producer;
        this.listener = listener;
        this.pending = pending;
        this.records = new RequestRecords(topics);
    }

    @Override
    public CompletableFuture<Reply> send(Request request) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
        int replyPartition = listener.replyPartition();
        if (replyPartition < 0) {
            return CompletableFuture.failedFuture(new SendFailure(SendFailure.Kind.NOT_READY,
                    "this gateway has no reply partition yet; retry shortly"));
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<Reply> reply;
        try {
            reply = pending.register(correlationId);
        } catch (SendFailure overloaded) {
            return CompletableFuture.failedFuture(overloaded);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(TallyHeaders.REPLY_PARTITION, TallyHeaders.bytes(Integer.toString(replyPartition)));
        headers.add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes(correlationId));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(records.topicOf(request), null,
                request.entityKey(), records.valueOf(request), headers);
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    warnNotSent(request, error);
                    pending.fail(correlationId, unavailable(error));
                }
            });
        } catch (RuntimeException e) {
            // send() throws when the producer is closed or its buffer stays full past max.block.ms.
            warnNotSent(request, e);
            pending.fail(correlationId, unavailable(e));
        }
        return reply;
    }

    /** On whichever thread learns it (an HTTP thread, the producer's), named by the request's id. */
    private static void warnNotSent(Request request, Throwable error) {
        try (RequestLogContext.Scope named = RequestLogContext.of(request.requestId())) {
            log.warn("request {} could not be sent: {}", request.requestId(), error.toString());
        }
    }

    @Override
    public boolean isReady() {
        return !closed.get() && listener.hasReplyPartition();
    }

    @Override
    public int pending() {
        return pending.size();
    }

    /** Ends every waiting call with 503 at once, stops reading replies, then flushes and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pending.failAll(shuttingDown());
        listener.close();
        producer.close(Duration.ofSeconds(10));
    }

    private static SendFailure unavailable(Throwable cause) {
        return new SendFailure(SendFailure.Kind.UNAVAILABLE,
                "the request could not be handed to Kafka; retrying with the same requestId is safe", cause);
    }

    private static SendFailure shuttingDown() {
        return new SendFailure(SendFailure.Kind.UNAVAILABLE,
                "this gateway is shutting down; retrying with the same requestId is safe");
    }
}
