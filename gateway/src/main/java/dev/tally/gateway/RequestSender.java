package dev.tally.gateway;

import dev.tally.schemas.Request;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a request to the engine and returns its answer. The seam between the HTTP layer and Kafka: the
 * HTTP layer knows nothing of topics, partitions or correlation ids, and its tests answer in memory.
 */
public interface RequestSender {

    /**
     * Sends the request; the future completes with the engine's reply, or fails with a {@link SendFailure}
     * (never blocks the caller). The request must be valid and carry its requestId.
     */
    CompletableFuture<Reply> send(Request request);

    /** True when a call could be answered now: the request can be produced and its reply read. */
    boolean isReady();

    /** Calls waiting for their reply now. */
    int pending();
}
