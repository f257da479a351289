package dev.tally.topology;

import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/** Claim requests through the whole topology ({@link EngineDriver}) at a given record time, and what came out. */
public final class ClaimHarness implements AutoCloseable {

    public static final RequestCodec<ClaimRequest> REQUESTS = RequestCodec.of(ClaimRequest.class);
    public static final RequestCodec<ClaimDecision> DECISIONS = RequestCodec.of(ClaimDecision.class);
    public static final RequestCodec<Claim> CLAIMS = RequestCodec.of(Claim.class);

    private final EngineDriver engine;
    public final TestInputTopic<String, byte[]> requests;
    public final TestOutputTopic<String, byte[]> decisions;

    public ClaimHarness(Path stateDir) {
        this(stateDir, 1);
    }

    public ClaimHarness(Path stateDir, int partitions) {
        engine = new EngineDriver(stateDir, partitions);
        requests = engine.input(engine.topics.claimRequests());
        decisions = engine.output(engine.topics.claimDecisions());
    }

    /**
     * Sends a request as the gateway does, keyed by {@code key}, and returns the reply it gets. The gateway
     * keys by the normalised value; a direct producer may not.
     */
    public TestRecord<String, byte[]> call(ClaimRequest request, String key, Instant at) {
        return engine.call(requests, key, REQUESTS.write(request), at);
    }

    /** Sends a request keyed as the gateway keys it and returns the decision it is answered with. */
    public ClaimDecision decide(ClaimRequest request, Instant at) {
        TestRecord<String, byte[]> reply = call(request, request.entityKey(), at);
        if (reply == null) {
            throw new AssertionError("no reply for " + request);
        }
        return EngineDriver.read(DECISIONS, reply.value());
    }

    /** Publishes a request as a direct producer would: under {@code key}, no reply wanted. */
    public void publish(ClaimRequest request, String key, Instant at) {
        requests.pipeInput(new TestRecord<>(key, REQUESTS.write(request), at));
    }

    public TestRecord<String, byte[]> read(ClaimRequest read, Instant at) {
        return call(read, read.entityKey(), at);
    }

    public List<ClaimDecision> drainDecisions() {
        return decisions.readValuesToList().stream().map(v -> EngineDriver.read(DECISIONS, v)).toList();
    }

    public TestOutputTopic<String, byte[]> deadLetters() {
        return engine.deadLetters;
    }

    public void advanceClock(Duration by) {
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
