package dev.tally.topology.bookings;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.AvailabilityReport;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.BookingValidation;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.ConfirmSegment;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.ReleaseSegment;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.SegmentResult;
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
import org.slf4j.event.Level;

/**
 * Decides the booking requests of the resources in its partition, one after another: read, guard the
 * routing, recall retries, ask the ledger, remember, send. The rules live in {@link BookingLedger}.
 */
public final class BookingRequestProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(BookingRequestProcessor.class);
    private static final RequestCodec<BookingRequest> REQUESTS = RequestCodec.of(BookingRequest.class);
    private static final RequestCodec<BookingDecision> DECISIONS = RequestCodec.of(BookingDecision.class);
    private static final RequestCodec<AvailabilityReport> REPORTS = RequestCodec.of(AvailabilityReport.class);
    private static final RequestCodec<dev.tally.schemas.bookings.CompositeRequest> RESULTS =
            RequestCodec.of(dev.tally.schemas.bookings.CompositeRequest.class);
    /** Forgetting request ids runs on stream time, a bounded batch at a time. */
    private static final Duration ID_EXPIRY_INTERVAL = Duration.ofMinutes(1);

    private final TopologySettings settings;
    private ProcessorContext<String, Object> context;
    private BookingLedger ledger;
    private Outbox outbox;
    private RequestFlow<BookingRequest> flow;

    public BookingRequestProcessor(TopologySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledger = new BookingLedger(new StoreBookings(context.getStateStore(Names.RESOURCES_STORE),
                context.getStateStore(Names.BOOKINGS_STORE), context.getStateStore(Names.BOOKING_EXTERNAL_IDS_STORE),
                context.getStateStore(Names.SLOT_USAGE_STORE)));
        this.outbox = new Outbox(context, "bookings", Names.BOOKING_DECISIONS_SINK, Names.BOOKING_REROUTE_SINK,
                settings.meters());
        this.flow = new RequestFlow<>("booking", REQUESTS, outbox,
                new RequestMemory(context.getStateStore(Names.BOOKING_REQUEST_IDS_STORE),
                        settings.idempotencyRetentionMs()),
                settings.requestPartitions());
        context.schedule(ID_EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, flow::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        flow.handle(record, origin, request -> handle(record, origin, request));
    }

    /** Decides one readable request; its requestId names every line logged meanwhile. */
    private void handle(Record<String, byte[]> record, RecordMetadata origin, BookingRequest request) {
        List<FieldError> errors = BookingValidation.validate(request);
        boolean fromCoordinator = origin.topic().equals(settings.topics().segmentCommands());
        if (isCommand(request) != fromCoordinator) {
            // Segment commands come from the engine's own topic only, so that whoever may publish booking
            // requests cannot hold, confirm or release a composite's segments.
            errors.add(new FieldError("type", fromCoordinator
                    ? "only segment commands are read from " + settings.topics().segmentCommands()
                    : "segment commands are the coordinator's: read from " + settings.topics().segmentCommands()
                            + " only"));
        }
        if (!errors.isEmpty() && !isKeyed(errors)) {
            if (request.requestId() == null) {
                request = request.withRequestId(Outbox.position(origin));
            }
            BookingDecision invalid = BookingLedger.invalid(request, errors, record.timestamp());
            logRejection(invalid, request, Level.WARN);
            if (request instanceof ReadAvailability) {
                flow.refuseRead(record, invalid.code().name(), DECISIONS.write(invalid));
            } else {
                flow.send(record, request.resource() != null ? request.resource() : record.key(),
                        invalid.code().name(), DECISIONS.write(invalid));
            }
            return;
        }
        if (flow.owns(record, origin, request.entityKey())) {
            decide(record, request, errors, fromCoordinator);
        }
    }

    /** A composite coordinator's command to this resource's task, rather than a user's request. */
    private static boolean isCommand(BookingRequest request) {
        return request instanceof HoldSegment || request instanceof ConfirmSegment || request instanceof ReleaseSegment;
    }

    /** Whether a request names a valid resource and requestId, so that the resource's task owns the id. */
    private static boolean isKeyed(List<FieldError> errors) {
        return errors.stream().noneMatch(e -> e.field().equals("resource") || e.field().equals("requestId"));
    }

    private void decide(Record<String, byte[]> record, BookingRequest request, List<FieldError> errors,
                        boolean fromCoordinator) {
        long atMs = record.timestamp();
        if (request instanceof ReadAvailability read) {
            // A read answers its caller only, even when it is invalid: reads never reach the decisions topic.
            if (errors.isEmpty()) {
                answerRead(record, read, atMs);
            } else {
                flow.refuseRead(record, DecisionCode.INVALID_REQUEST.name(),
                        DECISIONS.write(BookingLedger.invalid(read, errors, atMs)));
            }
            return;
        }
        // A segment command is idempotent by the segment's own state (a hold seen again answers as it stands,
        // a confirm or release again changes nothing), so it is decided every time and never remembered:
        // nothing a user sends under the same requestId can stand in for it.
        boolean command = isCommand(request);
        String fingerprint = command ? null : RequestMemory.fingerprint(request.withRequestId(null));
        if (!command && flow.answeredBefore(record, request.entityKey(), request.requestId(), fingerprint, () -> {
            BookingDecision reused = BookingLedger.requestIdReused(request, atMs);
            logRejection(reused, request, Level.WARN);
            return DECISIONS.write(reused);
        })) {
            return;
        }
        BookingDecision decision;
        if (!errors.isEmpty()) {
            // Remembered like any decision: a second copy of the request gets this answer, not a second one.
            decision = BookingLedger.invalid(request, errors, atMs);
        } else if (request instanceof Book book) {
            decision = ledger.book(book, atMs);
        } else if (request instanceof CancelBooking cancel) {
            decision = ledger.cancel(cancel, atMs);
        } else if (request instanceof RescheduleBooking reschedule) {
            decision = ledger.reschedule(reschedule, atMs);
        } else if (request instanceof HoldSegment hold) {
            decision = ledger.hold(hold, atMs);
        } else if (request instanceof ConfirmSegment confirm) {
            decision = ledger.confirm(confirm, atMs);
        } else if (request instanceof ReleaseSegment release) {
            decision = ledger.releaseSegment(release, atMs);
        } else {
            decision = ledger.define((DefineResource) request, atMs);
        }
        boolean coordinatorsStep = command && fromCoordinator;
        if (coordinatorsStep) {
            // A resource's answer to a composite's coordinator, two per segment: no user waits on it, the
            // composite's own decision answers the user and is counted once there. Counted as a decision,
            // each composite would count several times over in its segments' domain and add their times to
            // the latency of the decisions users wait for; as an event it is still counted, by code.
            byte[] bytes = DECISIONS.write(decision);
            outbox.event(request.entityKey(), decision.code().name(), bytes, atMs);
            outbox.reply(record, TallyHeaders.KIND_DECISION, decision.code().name(), bytes);
        } else if (command) {
            flow.send(record, request.entityKey(), decision.code().name(), DECISIONS.write(decision));
        } else {
            flow.decided(record, request.entityKey(), request.requestId(), fingerprint, decision.code().name(),
                    DECISIONS.write(decision));
        }
        if (request instanceof HoldSegment hold && fromCoordinator) {
            // The coordinator counts the answers; it reads them keyed by its compositeId.
            SegmentResult result = new SegmentResult(hold.requestId() + ":result", hold.compositeId(), hold.index(),
                    hold.resource(), decision.code().name(), decision.conflict(), decision.message());
            context.forward(new Record<String, Object>(hold.compositeId(), RESULTS.write(result), atMs),
                    Names.SEGMENT_RESULTS_SINK);
        }
        // A coordinator's hold refused refuses its composite, which the coordinator warns of once: at INFO
        // here, with the slot's detail, so that one refused composite is one warning. A confirm or release
        // refused breaks the protocol (or was forged on the engine's topic), so it stays a warning.
        logRejection(decision, request,
                coordinatorsStep && request instanceof HoldSegment ? Level.INFO : Level.WARN);
    }

    /** A read answers the caller only: the slots (200), or why there are none (404, 400). */
    private void answerRead(Record<String, byte[]> record, ReadAvailability read, long atMs) {
        List<FieldError> errors = new ArrayList<>();
        AvailabilityReport report = ledger.availability(read, atMs, errors);
        if (report != null) {
            outbox.reply(record, TallyHeaders.KIND_REPORT, DecisionCode.OK.name(), REPORTS.write(report));
            return;
        }
        BookingDecision refused = errors.isEmpty() ? BookingLedger.notFound(read, atMs)
                : BookingLedger.invalid(read, errors, atMs);
        outbox.reply(record, TallyHeaders.KIND_DECISION, refused.code().name(), DECISIONS.write(refused));
    }

    /**
     * One structured line per rejection, for operators to count; a capacity refusal is a warning with the
     * resource, the range, the user and the slot's usage against its capacity. Nothing per acceptance.
     *
     * @param level WARN, but INFO for a coordinator's refused hold: its composite's warning is the one counted
     */
    private static void logRejection(BookingDecision decision, BookingRequest request, Level level) {
        if (decision.outcome() != Outcome.REJECTED) {
            return;
        }
        if (decision.code() == DecisionCode.AVAILABILITY_CONFLICT) {
            String from = request instanceof Book b ? b.from()
                    : request instanceof HoldSegment h ? h.from() : ((RescheduleBooking) request).from();
            String to = request instanceof Book b ? b.to()
                    : request instanceof HoldSegment h ? h.to() : ((RescheduleBooking) request).to();
            log.atLevel(level).setMessage("booking refused for capacity")
                    .addKeyValue("code", decision.code())
                    .addKeyValue("requestId", decision.requestId())
                    .addKeyValue("resource", decision.resource())
                    .addKeyValue("from", from)
                    .addKeyValue("to", to)
                    .addKeyValue("userId", request instanceof Book b ? b.userId()
                            : decision.booking() == null ? null : decision.booking().userId())
                    .addKeyValue("quantity", request instanceof Book b ? b.quantity()
                            : decision.booking() == null ? null : decision.booking().quantity())
                    .addKeyValue("slot", decision.conflict().start())
                    .addKeyValue("used", decision.conflict().used())
                    .addKeyValue("capacity", decision.conflict().capacity())
                    .log();
            return;
        }
        log.atLevel(level).setMessage("booking request rejected")
                .addKeyValue("code", decision.code())
                .addKeyValue("requestId", decision.requestId())
                .addKeyValue("resource", decision.resource())
                .addKeyValue("bookingId", decision.booking() == null ? null : decision.booking().bookingId())
                .log();
    }
}
