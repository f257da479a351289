package dev.tally.schemas;

/**
 * A request to the engine. Its entity key is derived from its body and nothing else: every request that
 * touches one piece of state has the same key, so one partition and one stream task decide them in order.
 */
public interface Request {

    /** The caller's idempotency key: a retry with the same id gets the first decision. */
    String requestId();

    /** The Kafka record key this request must carry. */
    String entityKey();
}
