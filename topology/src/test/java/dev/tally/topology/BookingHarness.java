package dev.tally.topology;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.AvailabilityReport;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.topology.composites.CompositeRecord;
import dev.tally.topology.engine.EngineMeters;
import dev.tally.topology.engine.RequestMemory;
import dev.tally.topology.engine.TimeKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/** Booking requests through the whole topology ({@link EngineDriver}) at a given record time, and what came out. */
public final class BookingHarness implements AutoCloseable {

    public static final RequestCodec<BookingRequest> REQUESTS = RequestCodec.of(BookingRequest.class);
    public static final RequestCodec<BookingDecision> DECISIONS = RequestCodec.of(BookingDecision.class);
    public static final RequestCodec<AvailabilityReport> REPORTS = RequestCodec.of(AvailabilityReport.class);

    private final EngineDriver engine;
    public final TestInputTopic<String, byte[]> requests;
    /** The topic only a composite's coordinator writes: its hold, confirm and release commands. */
    public final TestInputTopic<String, byte[]> segmentCommands;
    public final TestOutputTopic<String, byte[]> decisions;

    public BookingHarness(Path stateDir) {
        this(stateDir, EngineMeters.NONE);
    }

    public BookingHarness(Path stateDir, EngineMeters meters) {
        engine = new EngineDriver(stateDir, 1, meters);
        requests = engine.input(engine.topics.bookingRequests());
        segmentCommands = engine.input(engine.topics.segmentCommands());
        decisions = engine.output(engine.topics.bookingDecisions());
    }

    /** Sends a request as the gateway does and returns the reply it gets. */
    public TestRecord<String, byte[]> call(BookingRequest request, Instant at) {
        TestRecord<String, byte[]> reply = engine.call(requests, request.entityKey(), REQUESTS.write(request), at);
        if (reply == null) {
            throw new AssertionError("no reply for " + request);
        }
        return reply;
    }

    /** Sends a request as the gateway does and returns the decision it is answered with. */
    public BookingDecision decide(BookingRequest request, Instant at) {
        return EngineDriver.read(DECISIONS, call(request, at).value());
    }

    /** Reads availability; fails unless the answer is a report. */
    public AvailabilityReport availability(BookingRequest read, Instant at) {
        TestRecord<String, byte[]> reply = call(read, at);
        if (!TallyHeaders.KIND_REPORT.equals(TallyHeaders.text(reply.headers(), TallyHeaders.REPLY_KIND))) {
            throw new AssertionError("not a report: " + new String(reply.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return EngineDriver.read(REPORTS, reply.value());
    }

    /** Sends a segment command as a coordinator does, on its own topic, and returns the decision. */
    public BookingDecision decideCommand(BookingRequest command, Instant at) {
        TestRecord<String, byte[]> reply = engine.call(segmentCommands, command.entityKey(), REQUESTS.write(command),
                at);
        if (reply == null) {
            throw new AssertionError("no reply for " + command);
        }
        return EngineDriver.read(DECISIONS, reply.value());
    }

    /** Writes a segment command as a coordinator does, with nobody waiting for its decision. */
    public void command(BookingRequest command, Instant at) {
        segmentCommands.pipeInput(new TestRecord<>(command.entityKey(), REQUESTS.write(command), at));
    }

    /**
     * Puts in place a coordinator's record of a composite started on the engine's clock at {@code startedAt},
     * whose holds were all sent and none answered yet, as if its resources' tasks had stopped.
     *
     * @param requestedAtMs the composite request's record timestamp; null for a record stored before the
     *                      coordinator kept it
     */
    public void pendingComposite(BookComposite request, Instant startedAt, Long requestedAtMs) {
        long deadline = startedAt.toEpochMilli() + EngineDriver.COMPOSITE_TIMEOUT_MS;
        String fingerprint = RequestMemory.fingerprint(new BookComposite(null, request.compositeId(),
                request.segments(), request.userId()));
        engine.driver().<String, byte[]>getKeyValueStore(Names.COMPOSITES_STORE).put(request.compositeId(),
                new CompositeRecord(request, fingerprint, requestedAtMs,
                        Arrays.asList(new String[request.segments().size()]), "PENDING", deadline, List.of(), null)
                        .toBytes());
        engine.driver().<String, byte[]>getKeyValueStore(Names.COMPOSITE_DEADLINES_STORE)
                .put(TimeKeys.encode(deadline) + "|" + request.compositeId(), new byte[0]);
    }

    public void publish(BookingRequest request, String key, Instant at) {
        requests.pipeInput(new TestRecord<>(key, REQUESTS.write(request), at));
    }

    public List<BookingDecision> drainDecisions() {
        return decisions.readValuesToList().stream().map(v -> EngineDriver.read(DECISIONS, v)).toList();
    }

    public void advanceClock(java.time.Duration by) {
        engine.driver().advanceWallClockTime(by);
    }

    public EngineDriver engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
    }
}
