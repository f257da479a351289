package dev.tally.topology.engine;

import dev.tally.contract.KeyPartitioner;
import dev.tally.contract.RequestLogContext;
import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Request;
import dev.tally.schemas.RequestCodec;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every domain's decider takes around its own rules: read the record or dead-letter it, make
 * sure this task owns the request's key or re-route it, answer a retry from memory, and send and remember
 * a new decision. The domain decides; this class makes sure it decides each request once, in the right
 * task.
 */
public final class RequestFlow<R extends Request> {

    private static final Logger log = LoggerFactory.getLogger(RequestFlow.class);
    /**
     * Largest request value read. A decision echoes its request's fields, so a larger one could make a
     * decision the producer refuses (over {@code max.request.size}, 1 MiB by default); that failure would
     * repeat on every retry of the task and stall its partition. Four times the gateway's default body.
     */
    public static final int MAX_REQUEST_BYTES = 256 * 1024;

    private final String domain;
    private final RequestCodec<R> codec;
    private final Outbox outbox;
    private final RequestMemory memory;
    private final int requestPartitions;

    /**
     * @param domain            names the domain in log lines ("usage", "claim")
     * @param requestPartitions the partition count the request topic really has
     */
    public RequestFlow(String domain, RequestCodec<R> codec, Outbox outbox, RequestMemory memory,
                       int requestPartitions) {
        this.domain = domain;
        this.codec = codec;
        this.outbox = outbox;
        this.memory = memory;
        this.requestPartitions = requestPartitions;
    }

    /**
     * Reads the record (or dead-letters it) and hands a readable request to {@code decider}, with its
     * requestId in every line logged meanwhile ({@link RequestLogContext}).
     */
    public void handle(Record<String, byte[]> record, RecordMetadata origin, Consumer<R> decider) {
        R request = read(record, origin);
        if (request == null) {
            return;
        }
        try (RequestLogContext.Scope named = RequestLogContext.of(request.requestId())) {
            decider.accept(request);
        }
    }

    /** The request in the record, or null when it could not be read and went to the dead-letter topic. */
    R read(Record<String, byte[]> record, RecordMetadata origin) {
        if (record.value() != null && record.value().length > MAX_REQUEST_BYTES) {
            String reason = "value of " + record.value().length + " bytes is over the engine's limit of "
                    + MAX_REQUEST_BYTES + "; the original stays at " + Outbox.position(origin);
            log.warn("oversized {} request sent to the dead-letter topic: {}", domain, reason);
            // Without its value: the dead letter must fit where the request barely did.
            outbox.deadLetter(record.withValue(null), origin, reason);
            return null;
        }
        try {
            return codec.read(record.value());
        } catch (RequestCodec.UnreadableException e) {
            log.warn("unreadable {} request sent to the dead-letter topic: {} at {}", domain, e.getMessage(),
                    Outbox.position(origin));
            outbox.deadLetter(record, origin, e.getMessage());
            return null;
        }
    }

    /**
     * Whether this task owns {@code entityKey}. A record under another key or in another partition (another
     * client's partitioner) is never decided here, where another task may hold its entity's state: it goes
     * to the right partition. A record already re-routed once that is still misplaced means the partition
     * count is not what this engine was started with: it is kept in the dead-letter topic rather than
     * bounced forever.
     */
    public boolean owns(Record<String, byte[]> record, RecordMetadata origin, String entityKey) {
        if (entityKey.equals(record.key())
                && origin.partition() == KeyPartitioner.partitionFor(entityKey, requestPartitions)) {
            return true;
        }
        if (record.headers().lastHeader(TallyHeaders.REROUTED_FROM) != null) {
            String reason = "still in the wrong partition after re-routing: the engine expects "
                    + requestPartitions + " partitions";
            log.error("{} at {}", reason, Outbox.position(origin));
            outbox.deadLetter(record, origin, reason);
        } else {
            log.debug("re-routing {} request of {} from {}", domain, entityKey, Outbox.position(origin));
            outbox.reroute(record, entityKey, origin);
        }
        return false;
    }

    /**
     * Answers a request whose id this task already decided, and says so: the same body gets the first
     * decision again (applied once, no second decision record); another body under that id gets the
     * decision {@code reused} makes.
     */
    public boolean answeredBefore(Record<String, byte[]> record, String entityKey, String requestId,
                                  String fingerprint, Supplier<byte[]> reused) {
        Remembered earlier = memory.recall(entityKey, requestId, record.timestamp());
        if (earlier == null) {
            return false;
        }
        if (earlier.fingerprint().equals(fingerprint)) {
            outbox.reply(record, TallyHeaders.KIND_DECISION, earlier.code(), earlier.decision());
        } else {
            outbox.reply(record, TallyHeaders.KIND_DECISION, DecisionCode.REQUEST_ID_REUSED.name(), reused.get());
        }
        return true;
    }

    /** Sends a new decision to the decisions topic and the waiting caller, and remembers it for retries. */
    public void decided(Record<String, byte[]> record, String entityKey, String requestId, String fingerprint,
                        String code, byte[] decision) {
        send(record, entityKey, code, decision);
        memory.remember(entityKey, requestId, new Remembered(fingerprint, record.timestamp(), code, decision));
    }

    /**
     * Sends a decision nothing remembers: a request without a valid key or id, which no task owns (any task
     * answers it, and a second copy gets a second answer), or one idempotent by the state it changes.
     */
    public void send(Record<String, byte[]> record, String key, String code, byte[] decision) {
        outbox.decision(record, key, code, decision);
        outbox.reply(record, TallyHeaders.KIND_DECISION, code, decision);
    }

    /** Answers an invalid read: reads answer their caller only, and never reach the decisions topic. */
    public void refuseRead(Record<String, byte[]> record, String code, byte[] decision) {
        outbox.reply(record, TallyHeaders.KIND_DECISION, code, decision);
    }

    /** Forgets ids past retention, a bounded batch per call; scheduled on stream time by the decider. */
    public void sweep(long nowMs) {
        memory.sweep(nowMs);
    }
}
