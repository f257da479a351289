package dev.tally.gateway.kafka;

import dev.tally.gateway.Reply;
import dev.tally.gateway.SendFailure;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls waiting for a reply, by correlation id. Bounded, because a stalled engine must not grow the
 * gateway's memory without limit, and every entry leaves on whatever ends its wait (a reply, the timeout,
 * a send failure, shutdown): the removal hangs on the completion itself, so no path can forget it.
 */
public final class PendingReplies {

    private final int pendingMax;
    private final long timeoutMs;
    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    // Counted apart from the map so that the bound is checked and taken in one atomic step.
    private final AtomicInteger size = new AtomicInteger();

    public PendingReplies(int pendingMax, long timeoutMs) {
        if (pendingMax < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("pendingMax and timeoutMs must be positive");
        }
        this.pendingMax = pendingMax;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Starts waiting for the reply to {@code correlationId}. The returned future completes after the entry
     * is gone, so whoever sees it complete also sees the registry without it.
     *
     * @throws SendFailure OVERLOADED when {@code pendingMax} calls wait already
     */
    public CompletableFuture<Reply> register(String correlationId) {
        if (size.incrementAndGet() > pendingMax) {
            size.decrementAndGet();
            throw new SendFailure(SendFailure.Kind.OVERLOADED,
                    "too many calls wait for a decision (" + pendingMax + "); retry shortly");
        }
        CompletableFuture<Reply> entry = new CompletableFuture<>();
        if (waiting.putIfAbsent(correlationId, entry) != null) {
            size.decrementAndGet();
            throw new IllegalStateException("correlation id already waits: " + correlationId);
        }
        entry.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        return entry.handle((reply, error) -> {
            if (waiting.remove(correlationId, entry)) {
                size.decrementAndGet();
            }
            if (error == null) {
                return reply;
            }
            throw new CompletionException(translate(error));
        });
    }

    /** Hands the reply to its waiting call. False when nobody waits for it: late, or another's. */
    public boolean complete(String correlationId, Reply reply) {
        CompletableFuture<Reply> entry = waiting.get(correlationId);
        return entry != null && entry.complete(reply);
    }

    /** Ends the wait of one call without a reply (its request could not be sent). */
    public void fail(String correlationId, SendFailure failure) {
        CompletableFuture<Reply> entry = waiting.get(correlationId);
        if (entry != null) {
            entry.completeExceptionally(failure);
        }
    }

    /** Ends every wait, at shutdown. */
    public void failAll(SendFailure failure) {
        waiting.values().forEach(entry -> entry.completeExceptionally(failure));
    }

    public int size() {
        return size.get();
    }

    private Throwable translate(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return new SendFailure(SendFailure.Kind.DECISION_TIMEOUT,
                    "no decision within " + timeoutMs + " ms; retrying with the same requestId is safe");
        }
        return cause;
    }
}
