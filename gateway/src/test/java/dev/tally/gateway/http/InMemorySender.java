package dev.tally.gateway.http;

import dev.tally.gateway.Reply;
import dev.tally.gateway.RequestSender;
import dev.tally.gateway.SendFailure;
import dev.tally.gateway.kafka.PendingReplies;
import dev.tally.schemas.Request;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Stands in for Kafka and the engine: records what the gateway sends and answers like the engine would,
 * with the bytes and code a test gives, or holds the call until the test answers it. Waiting calls sit
 * in a real {@link PendingReplies}, so its bound and timeout apply as in production.
 */
final class InMemorySender implements RequestSender {

    private final PendingReplies pending;
    private final BlockingQueue<Request> sent = new LinkedBlockingQueue<>();
    private final Map<String, String> heldByRequestId = new ConcurrentHashMap<>();
    private volatile Function<Request, Reply> engine;
    private volatile RuntimeException sendFailure;
    private volatile boolean ready = true;

    InMemorySender(int pendingMax, long timeoutMs) {
        this.pending = new PendingReplies(pendingMax, timeoutMs);
    }

    /** Every request gets the reply {@code engine} makes for it, at once. */
    InMemorySender answering(Function<Request, Reply> engine) {
        this.engine = engine;
        return this;
    }

    /** Calls wait until {@link #answer} (or their timeout). */
    InMemorySender holding() {
        this.engine = null;
        return this;
    }

    void failSends(RuntimeException failure) {
        this.sendFailure = failure;
    }

    void ready(boolean ready) {
        this.ready = ready;
    }

    @Override
    public CompletableFuture<Reply> send(Request request) {
        if (!ready) {
            return CompletableFuture.failedFuture(new SendFailure(SendFailure.Kind.NOT_READY, "not ready"));
        }
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<Reply> reply;
        try {
            reply = pending.register(correlationId);
        } catch (SendFailure overloaded) {
            return CompletableFuture.failedFuture(overloaded);
        }
        sent.add(request);
        if (sendFailure != null) {
            pending.fail(correlationId, new SendFailure(SendFailure.Kind.UNAVAILABLE, "send failed", sendFailure));
        } else if (engine != null) {
            pending.complete(correlationId, engine.apply(request));
        } else {
            heldByRequestId.put(request.requestId(), correlationId);
        }
        return reply;
    }

    /** Answers a held call; false when it no longer waits. */
    boolean answer(String requestId, Reply reply) {
        String correlationId = heldByRequestId.remove(requestId);
        return correlationId != null && pending.complete(correlationId, reply);
    }

    /** The next request the gateway sent, waiting for it up to a deadline. */
    Request nextSent() throws InterruptedException {
        Request request = sent.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the gateway sent nothing within 5 s");
        }
        return request;
    }

    boolean sentNothing() {
        return sent.isEmpty();
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public int pending() {
        return pending.size();
    }
}
