package dev.tally.topology.claims;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimKeys;
import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.claims.ClaimScopes;
import dev.tally.schemas.claims.ClaimValidation;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.topology.Names;
import dev.tally.topology.TopologySettings;
import dev.tally.topology.engine.Outbox;
import dev.tally.topology.engine.RequestFlow;
import dev.tally.topology.engine.RequestMemory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the claim requests of the keys in its partition, one after another: read, normalise, guard the
 * routing, recall retries, end a hold that ran out, ask the book, remember, send. A wall-clock punctuation
 * ends the holds nobody asks about, so a provisioning workflow hears of the expiry without a request.
 */
public final class ClaimRequestProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(ClaimRequestProcessor.class);
    private static final RequestCodec<ClaimRequest> REQUESTS = RequestCodec.of(ClaimRequest.class);
    private static final RequestCodec<ClaimDecision> DECISIONS = RequestCodec.of(ClaimDecision.class);
    private static final RequestCodec<Claim> CLAIMS = RequestCodec.of(Claim.class);
    /** Forgetting request ids runs on stream time, a bounded batch at a time. */
    private static final Duration ID_EXPIRY_INTERVAL = Duration.ofMinutes(1);
    /**
     * Holds end on the wall clock: a value must come free when its hold runs out even if no record arrives
     * to advance stream time. A second is the longest a freed value can look held.
     */
    private static final Duration HOLD_EXPIRY_INTERVAL = Duration.ofSeconds(1);
    /** Holds ended per punctuation: the rest wait a second, so a burst cannot stall the task. */
    static final int HOLD_EXPIRIES_PER_PUNCTUATION = 1_000;

    private final TopologySettings settings;
    private final ClaimScopes scopes;
    private ProcessorContext<String, Object> context;
    private ClaimBook book;
    private Outbox outbox;
    private RequestFlow<ClaimRequest> flow;

    public ClaimRequestProcessor(TopologySettings settings) {
        this.settings = settings;
        this.scopes = settings.claimScopes();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.book = new ClaimBook(new StoreClaims(context.getStateStore(Names.CLAIMS_STORE),
                context.getStateStore(Names.CLAIM_HOLDS_STORE)));
        this.outbox = new Outbox(context, "claims", Names.CLAIM_DECISIONS_SINK, Names.CLAIM_REROUTE_SINK,
                settings.meters());
        this.flow = new RequestFlow<>("claim", REQUESTS, outbox,
                new RequestMemory(context.getStateStore(Names.CLAIM_REQUEST_IDS_STORE),
                        settings.idempotencyRetentionMs()),
                settings.requestPartitions());
        context.schedule(ID_EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, flow::sweep);
        context.schedule(HOLD_EXPIRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::expireHolds);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        flow.handle(record, origin, read -> handle(record, origin, read));
    }

    /** Decides one readable request; its requestId names every line logged meanwhile. */
    private void handle(Record<String, byte[]> record, RecordMetadata origin, ClaimRequest read) {
        ClaimValidation.Checked checked = ClaimValidation.check(read, scopes);
        ClaimRequest request = checked.request();
        if (!checked.isKeyed()) {
            if (request.requestId() == null) {
                request = request.withRequestId(Outbox.position(origin));
            }
            ClaimDecision invalid = ClaimBook.invalid(request, checked.errors(), record.timestamp());
            logRejection(invalid);
            if (request instanceof ReadClaim) {
                flow.refuseRead(record, invalid.code().name(), DECISIONS.write(invalid));
            } else {
                flow.send(record, record.key(), invalid.code().name(), DECISIONS.write(invalid));
            }
            return;
        }
        String entityKey = request.entityKey();
        if (flow.owns(record, origin, entityKey)) {
            decide(record, request, entityKey, checked);
        }
    }

    private void decide(Record<String, byte[]> record, ClaimRequest request, String entityKey,
                        ClaimValidation.Checked checked) {
        long atMs = record.timestamp();
        if (request instanceof ReadClaim read) {
            answerRead(record, read, liveAt(entityKey, record), atMs);
            return;
        }
        String fingerprint = RequestMemory.fingerprint(request.withRequestId(null));
        if (flow.answeredBefore(record, entityKey, request.requestId(), fingerprint, () -> {
            ClaimDecision reused = ClaimBook.requestIdReused(request, atMs);
            logRejection(reused);
            return DECISIONS.write(reused);
        })) {
            return;
        }
        ClaimState live = liveAt(entityKey, record);
        ClaimDecision decision = checked.errors().isEmpty()
                ? book.decide(request, live, atMs, context.currentSystemTimeMs())
                // Remembered like any decision: a second copy of the request gets this answer, not a second one.
                : ClaimBook.invalid(request, checked.errors(), atMs);
        flow.decided(record, entityKey, request.requestId(), fingerprint, decision.code().name(),
                DECISIONS.write(decision));
        logRejection(decision);
    }

    /** A read answers the caller only: found, the claim (200); not found, a CLAIM_NOT_FOUND decision (404). */
    private void answerRead(Record<String, byte[]> record, ReadClaim read, ClaimState live, long atMs) {
        if (live != null) {
            outbox.reply(record, TallyHeaders.KIND_REPORT, DecisionCode.OK.name(),
                    CLAIMS.write(live.view(read.scope(), read.value())));
        } else {
            outbox.reply(record, TallyHeaders.KIND_DECISION, DecisionCode.CLAIM_NOT_FOUND.name(),
                    DECISIONS.write(ClaimBook.notFound(read, null, atMs)));
        }
    }

    /**
     * The key's live claim now: a hold that ran out on the engine's clock is ended, and its event written,
     * before the record is decided against the key. Holds use the engine's clock, not the record's time, so
     * that a producer's clock running ahead cannot end someone's hold early, nor one running behind
     * shorten or lengthen it (I6: expiries are the part of a decision that depends on the clock).
     */
    private ClaimState liveAt(String entityKey, Record<String, byte[]> record) {
        List<ClaimDecision> expired = new ArrayList<>(1);
        long clockMs = context.currentSystemTimeMs();
        ClaimState live = book.liveAt(entityKey, clockMs, expired);
        for (ClaimDecision event : expired) {
            outbox.event(entityKey, event.code().name(), DECISIONS.write(event), clockMs);
        }
        return live;
    }

    private void expireHolds(long nowMs) {
        for (ClaimDecision expired : book.expireDue(nowMs, HOLD_EXPIRIES_PER_PUNCTUATION)) {
            String key = ClaimKeys.of(expired.scope(), expired.value());
            outbox.event(key, expired.code().name(), DECISIONS.write(expired), nowMs);
            log.debug("claim hold expired: {} of {}", key, expired.claim().owner());
        }
    }

    /** One structured line per rejection, for operators to count; nothing per acceptance. */
    private static void logRejection(ClaimDecision decision) {
        if (decision.outcome() == Outcome.REJECTED) {
            log.atWarn().setMessage("claim request rejected")
                    .addKeyValue("code", decision.code())
                    .addKeyValue("requestId", decision.requestId())
                    .addKeyValue("scope", decision.scope())
                    .addKeyValue("value", decision.value())
                    .addKeyValue("requestedBy", decision.requestedBy())
                    .addKeyValue("owner", decision.claim() == null ? null : decision.claim().owner())
                    .log();
        }
    }
}
