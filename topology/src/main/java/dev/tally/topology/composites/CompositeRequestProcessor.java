package dev.tally.topology.composites;

import dev.tally.contract.RequestLogContext;
import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.BookingValidation;
import dev.tally.schemas.bookings.CompositeDecision;
import dev.tally.schemas.bookings.CompositeRequest;
import dev.tally.schemas.bookings.SegmentOutcome;
import dev.tally.schemas.bookings.SegmentResult;
import dev.tally.topology.Names;
import dev.tally.topology.TopologySettings;
import dev.tally.topology.engine.Outbox;
import dev.tally.topology.engine.RequestFlow;
import dev.tally.topology.engine.RequestMemory;
import dev.tally.topology.engine.TimeKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A composite's coordinator. Starts a composite (hold commands to every segment's resource task),
 * counts the answers, and decides: confirm all, or release all at the first refusal or at the deadline.
 * Callers waiting on a composite are kept with it and all answered when it is decided.
 */
public final class CompositeRequestProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(CompositeRequestProcessor.class);

    private static final RequestCodec<CompositeRequest> REQUESTS = RequestCodec.of(CompositeRequest.class);
    private static final RequestCodec<CompositeDecision> DECISIONS = RequestCodec.of(CompositeDecision.class);
    private static final RequestCodec<BookingRequest> COMMANDS = RequestCodec.of(BookingRequest.class);
    private static final Duration DEADLINE_INTERVAL = Duration.ofSeconds(1);
    private static final byte[] PRESENT = new byte[0];

    private final TopologySettings settings;
    private ProcessorContext<String, Object> context;
    private Outbox outbox;
    private RequestFlow<CompositeRequest> flow;
    private KeyValueStore<String, byte[]> composites;
    private KeyValueStore<String, byte[]> deadlines;

    public CompositeRequestProcessor(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.outbox = new Outbox(context, "composites", Names.COMPOSITE_DECISIONS_SINK, Names.COMPOSITE_REROUTE_SINK,
                settings.meters());
        this.composites = context.getStateStore(Names.COMPOSITES_STORE);
        this.deadlines = context.getStateStore(Names.COMPOSITE_DEADLINES_STORE);
        // Composites are idempotent by compositeId through their own record, so the flow remembers nothing.
        this.flow = new RequestFlow<>("composite", REQUESTS, outbox, (RequestMemory) null, settings.requestPartitions());
        context.schedule(DEADLINE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::timeOutDue);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        flow.handle(record, origin, request -> handle(record, origin, request));
    }

    /** Decides one readable request; its requestId names every line logged meanwhile. */
    private void handle(Record<String, byte[]> record, RecordMetadata origin, CompositeRequest request) {
        if (request.compositeId() == null) {
            return;
        }
        if (!flow.owns(record, origin, request.entityKey())) {
            return;
        }
        boolean fromResourceTask = origin.topic().equals(settings.topics().segmentResults());
        if (request instanceof SegmentResult result && fromResourceTask) {
            onResult(result, record.timestamp());
        } else if (request instanceof BookComposite composite && !fromResourceTask) {
            onRequest(record, composite);
        } else {
            // A segment's answer comes from the engine's own topic only (one published with the composite
            // requests could refuse or confirm someone's composite); nothing else is read from there.
            log.warn("ignoring {} from {}: segment answers are read from {} only, composites from {}",
                    request.getClass().getSimpleName(), Outbox.position(origin), settings.topics().segmentResults(),
                    settings.topics().compositeRequests());
        }
    }

    private void onRequest(Record<String, byte[]> record, BookComposite request) {
        CompositeRecord.Waiter waiter = waiter(record);
        List<FieldError> errors = BookingValidation.validate(request);
        if (!errors.isEmpty()) {
            CompositeDecision invalid = new CompositeDecision(request.requestId(), BookComposite.TYPE,
                    DecisionCode.INVALID_REQUEST.outcome(), DecisionCode.INVALID_REQUEST,
                    "invalid request: " + errors.size() + " field(s) at fault", request.compositeId(), null, null,
                    errors, Instant.ofEpochMilli(record.timestamp()));
            flowSend(record, request.compositeId(), invalid);
            logRejection(invalid, request);
            return;
        }
        String fingerprint = RequestMemory.fingerprint(new BookComposite(null, request.compositeId(),
                request.segments(), request.userId()));
        byte[] stored = composites.get(request.compositeId());
        if (stored != null) {
            CompositeRecord existing = CompositeRecord.fromBytes(stored);
            if (!existing.fingerprint().equals(fingerprint)) {
                CompositeDecision reused = new CompositeDecision(request.requestId(), BookComposite.TYPE,
                        DecisionCode.REQUEST_ID_REUSED.outcome(), DecisionCode.REQUEST_ID_REUSED, "compositeId '"
                        + request.compositeId() + "' was already used for a different composite",
                        request.compositeId(), null, null, null, Instant.ofEpochMilli(record.timestamp()));
                outbox.reply(record, TallyHeaders.KIND_DECISION, reused.code().name(), DECISIONS.write(reused));
                logRejection(reused, request);
            } else if (existing.decision() != null) {
                outbox.reply(record, TallyHeaders.KIND_DECISION, code(existing), existing.decision().getBytes(
                        StandardCharsets.UTF_8));
            } else if (waiter != null) {
                composites.put(request.compositeId(), existing.withWaiter(waiter).toBytes());
            }
            return;
        }
        CompositeCoordinator.Step step = CompositeCoordinator.start(request, context.currentSystemTimeMs(),
                settings.compositeTimeoutMs());
        send(step.commands(), record.timestamp());
        List<CompositeRecord.Waiter> waiters = waiter == null ? List.of() : List.of(waiter);
        composites.put(request.compositeId(), CompositeRecord.of(step.state(), fingerprint, record.timestamp(), waiters,
                null).toBytes());
        deadlines.put(deadlineKey(step.state().deadlineMs(), request.compositeId()), PRESENT);
    }

    private void onResult(SegmentResult result, long atMs) {
        byte[] stored = composites.get(result.compositeId());
        if (stored == null) {
            return;
        }
        CompositeRecord before = CompositeRecord.fromBytes(stored);
        CompositeCoordinator.Step step = CompositeCoordinator.answer(before.state(), result);
        send(step.commands(), atMs);
        settle(before, step, atMs);
    }

    private void timeOutDue(long nowMs) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> earliestFirst = deadlines.all()) {
            while (earliestFirst.hasNext() && due.size() < 1_000) {
                KeyValue<String, byte[]> next = earliestFirst.next();
                if (TimeKeys.decode(next.key, 0) > nowMs) {
                    break;
                }
                due.add(next.key);
            }
        }
        for (String key : due) {
            deadlines.delete(key);
            byte[] stored = composites.get(key.substring(TimeKeys.LENGTH + 1));
            if (stored == null) {
                continue;
            }
            CompositeRecord before = CompositeRecord.fromBytes(stored);
            CompositeCoordinator.Step step = CompositeCoordinator.timeOut(before.state(), nowMs);
            send(step.commands(), nowMs);
            settle(before, step, nowMs);
        }
    }

    /** Stores the new state; once decided, writes the decision and answers every waiting caller. */
    private void settle(CompositeRecord before, CompositeCoordinator.Step step, long atMs) {
        String compositeId = before.request().compositeId();
        if (!step.decided()) {
            composites.put(compositeId, CompositeRecord.of(step.state(), before.fingerprint(), before.requestedAtMs(),
                    before.waiters(), before.decision()).toBytes());
            return;
        }
        CompositeDecision decision = decision(step.state(), atMs);
        byte[] bytes = DECISIONS.write(decision);
        // The answer to the composite's request, however late (a segment's answer, the deadline): a decision.
        outbox.deferredDecision(compositeId, decision.code().name(), bytes, atMs, requestedAtMs(before));
        logRejection(decision, before.request());
        for (CompositeRecord.Waiter waiter : before.waiters()) {
            outbox.replyTo(waiter.partition(), waiter.correlationId(), atMs, TallyHeaders.KIND_DECISION,
                    decision.code().name(), bytes);
        }
        deadlines.delete(deadlineKey(step.state().deadlineMs(), compositeId));
        composites.put(compositeId, CompositeRecord.of(step.state(), before.fingerprint(), null, List.of(),
                new String(bytes, StandardCharsets.UTF_8)).toBytes());
    }

    /**
     * When the composite was asked for. A record stored before that was kept has only its deadline, set
     * on the engine's clock one timeout after it started: near enough for the few pending at an upgrade.
     */
    private long requestedAtMs(CompositeRecord record) {
        return record.requestedAtMs() != null ? record.requestedAtMs()
                : record.deadlineMs() - settings.compositeTimeoutMs();
    }

    /** One structured line per rejection, for operators to count; nothing per composite booked. */
    private static void logRejection(CompositeDecision decision, BookComposite request) {
        if (decision.outcome() != Outcome.REJECTED) {
            return;
        }
        // Named by the composite's request, not by the segment answer or the timer that decided it.
        try (RequestLogContext.Scope named = RequestLogContext.of(decision.requestId())) {
            warnRejected(decision, request);
        }
    }

    private static void warnRejected(CompositeDecision decision, BookComposite request) {
        SegmentOutcome refused = decision.refusedSegment() == null ? null
                : decision.segments().get(decision.refusedSegment());
        log.atWarn().setMessage("composite request rejected")
                .addKeyValue("code", decision.code())
                .addKeyValue("requestId", decision.requestId())
                .addKeyValue("compositeId", decision.compositeId())
                .addKeyValue("userId", request.userId())
                .addKeyValue("refusedSegment", decision.refusedSegment())
                .addKeyValue("resource", refused == null ? null : refused.resource())
                .addKeyValue("segmentCode", refused == null ? null : refused.code())
                .addKeyValue("unanswered", decision.segments() == null ? null
                        : decision.segments().stream().filter(s -> s.code() == null).count())
                .log();
    }

    private static CompositeDecision decision(CompositeCoordinator.State state, long atMs) {
        DecisionCode code = codeOf(state.status());
        List<SegmentOutcome> outcomes = new ArrayList<>();
        Integer refused = null;
        for (int i = 0; i < state.answers().length; i++) {
            var segment = state.request().segments().get(i);
            String answer = state.answers()[i];
            if (refused == null && answer != null && !DecisionCode.SEGMENT_HELD.name().equals(answer)) {
                refused = i;
            }
            outcomes.add(new SegmentOutcome(i, segment.resource(), segment.from(), segment.to(), segment.quantity(),
                    answer, null));
        }
        String message = switch (state.status()) {
            case BOOKED -> "every segment booked";
            case REFUSED -> "segment " + refused + " refused; every segment released";
            default -> "not every segment answered in time; every segment released";
        };
        return new CompositeDecision(state.request().requestId(), BookComposite.TYPE, code.outcome(), code, message,
                state.request().compositeId(), outcomes, refused, null, Instant.ofEpochMilli(atMs));
    }

    private void send(List<BookingRequest> commands, long atMs) {
        for (BookingRequest command : commands) {
            context.forward(new Record<String, Object>(command.entityKey(), COMMANDS.write(command), atMs,
                    new RecordHeaders()), Names.COMPOSITE_COMMANDS_SINK);
        }
    }

    private void flowSend(Record<String, byte[]> record, String key, CompositeDecision decision) {
        flow.send(record, key, decision.code().name(), DECISIONS.write(decision));
    }

    private static CompositeRecord.Waiter waiter(Record<String, byte[]> record) {
        String partition = TallyHeaders.text(record.headers(), TallyHeaders.REPLY_PARTITION);
        String correlationId = TallyHeaders.text(record.headers(), TallyHeaders.CORRELATION_ID);
        return partition == null || correlationId == null ? null : new CompositeRecord.Waiter(partition, correlationId);
    }

    /** The code of a decided composite, from its stored status. */
    private static String code(CompositeRecord record) {
        return codeOf(CompositeCoordinator.Status.valueOf(record.status())).name();
    }

    private static DecisionCode codeOf(CompositeCoordinator.Status status) {
        return switch (status) {
            case BOOKED -> DecisionCode.COMPOSITE_BOOKED;
            case REFUSED -> DecisionCode.COMPOSITE_REFUSED;
            default -> DecisionCode.COMPOSITE_TIMED_OUT;
        };
    }

    private static String deadlineKey(long deadlineMs, String compositeId) {
        return TimeKeys.encode(deadlineMs) + "|" + compositeId;
    }
}
