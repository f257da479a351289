package dev.tally.topology.engine;

import dev.tally.contract.TallyHeaders;
import dev.tally.topology.Names;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Everything a decider sends, and where: decisions, replies to a waiting gateway, re-routed requests and
 * dead letters. All of it goes out in the task's transaction, with the state changes it belongs to.
 */
public final class Outbox {

    private final ProcessorContext<String, Object> context;
    private final String domain;
    private final String decisionsSink;
    private final String rerouteSink;
    private final EngineMeters meters;

    /**
     * Call from the processor's {@code init}: it schedules the punctuation that commits held-back replies.
     *
     * @param domain what the meters count these decisions under: usage, claims, bookings or composites
     */
    public Outbox(ProcessorContext<String, Object> context, String domain, String decisionsSink, String rerouteSink,
                  EngineMeters meters) {
        this.context = context;
        this.domain = domain;
        this.decisionsSink = decisionsSink;
        this.rerouteSink = rerouteSink;
        this.meters = meters;
        // A reply the pacing held back is committed when its gap ends, if no other commit carried it.
        context.schedule(Duration.ofMillis(CommitPacer.MIN_GAP_MS), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (CommitPacer.owed(context)) {
                context.commit();
            }
        });
    }

    /** The decision record consumers read: one per request id, keyed by entity key. */
    public void decision(Record<String, byte[]> request, String entityKey, String code, byte[] decision) {
        deferredDecision(entityKey, code, decision, request.timestamp(), request.timestamp());
    }

    /**
     * The decision of a request handled earlier, made now: a composite's, decided by a later answer or at
     * its deadline. A decision all the same, so its latency runs from {@code requestTimestampMs}.
     */
    public void deferredDecision(String entityKey, String code, byte[] decision, long timestampMs,
                                 long requestTimestampMs) {
        Headers headers = new RecordHeaders().add(TallyHeaders.CODE, TallyHeaders.bytes(code));
        context.forward(new Record<String, Object>(entityKey, decision, timestampMs, headers), decisionsSink);
        meters.decided(domain, code, requestTimestampMs);
    }

    /**
     * A record on the decisions topic that answers no user's request: an expiry, driven by time, written
     * from a punctuation or before the request whose arrival revealed it; or a resource's answer to a
     * composite's coordinator, whose composite is the user's decision.
     */
    public void event(String entityKey, String code, byte[] event, long timestampMs) {
        Headers headers = new RecordHeaders().add(TallyHeaders.CODE, TallyHeaders.bytes(code));
        context.forward(new Record<String, Object>(entityKey, event, timestampMs, headers), decisionsSink);
        meters.event(domain, code);
    }

    /** Answers the gateway call that sent {@code request}, if one waits for it. */
    public void reply(Record<String, byte[]> request, String kind, String code, byte[] body) {
        String partition = TallyHeaders.text(request.headers(), TallyHeaders.REPLY_PARTITION);
        String correlationId = TallyHeaders.text(request.headers(), TallyHeaders.CORRELATION_ID);
        if (partition == null || correlationId == null) {
            return; // published straight to Kafka: nobody waits, the decisions topic has it
        }
        replyTo(partition, correlationId, request.timestamp(), kind, code, body);
    }

    /** Answers a waiting call by its reply address, kept from the request that asked (a composite's callers). */
    public void replyTo(String partition, String correlationId, long timestampMs, String kind, String code,
                        byte[] body) {
        int replyPartition = replyPartition(partition);
        if (replyPartition < 0) {
            // No partition has that number: sending there would fail the task again on every retry,
            // stalling its partition. Nobody can read such an answer; the decisions topic has it.
            return;
        }
        Headers headers = new RecordHeaders()
                .add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes(correlationId))
                .add(TallyHeaders.CODE, TallyHeaders.bytes(code))
                .add(TallyHeaders.REPLY_KIND, TallyHeaders.bytes(kind));
        context.forward(new Record<String, Object>(correlationId,
                new Reply(replyPartition, correlationId, body), timestampMs, headers), Names.REPLIES_SINK);
        // Someone is waiting, and reads only what is committed: ask for a commit soon rather than at the
        // interval, paced so that a loaded thread still commits large transactions (CommitPacer). A backlog
        // of requests published straight to Kafka asks for nothing and keeps the interval's throughput.
        if (CommitPacer.afterReply(context)) {
            context.commit();
        }
    }

    /** Sends the request to the partition of its entity key, under that key, to be decided there. */
    public void reroute(Record<String, byte[]> request, String entityKey, RecordMetadata origin) {
        Headers headers = new RecordHeaders(request.headers().toArray())
                .add(TallyHeaders.REROUTED_FROM, TallyHeaders.bytes(position(origin)));
        context.forward(new Record<String, Object>(entityKey, request.value(), request.timestamp(), headers),
                rerouteSink);
    }

    /** Keeps a record that cannot be read, with why and where it came from. */
    public void deadLetter(Record<String, byte[]> request, RecordMetadata origin, String reason) {
        Headers headers = new RecordHeaders(request.headers().toArray())
                .add(TallyHeaders.DLQ_REASON, TallyHeaders.bytes(reason))
                .add(TallyHeaders.DLQ_TOPIC, TallyHeaders.bytes(origin.topic()))
                .add(TallyHeaders.DLQ_PARTITION, TallyHeaders.bytes(Integer.toString(origin.partition())))
                .add(TallyHeaders.DLQ_OFFSET, TallyHeaders.bytes(Long.toString(origin.offset())));
        context.forward(new Record<String, Object>(request.key(), request.value(), request.timestamp(), headers),
                Names.DEAD_LETTER_SINK);
        meters.deadLettered(origin.topic());
    }

    /** The partition a reply header names, or -1 if it names none (not a number, or negative). */
    static int replyPartition(String header) {
        try {
            return Math.max(-1, Integer.parseInt(header.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String position(RecordMetadata origin) {
        return TallyHeaders.position(origin.topic(), origin.partition(), origin.offset());
    }
}
