package dev.tally.topology;

import dev.tally.contract.TopicNames;
import dev.tally.schemas.Json;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.EntitlementsReport;
import dev.tally.schemas.usage.UsageAlert;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import dev.tally.schemas.usage.UsageRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** Usage requests through the whole topology ({@link EngineDriver}) at a given record time, and what came out. */
public final class UsageHarness implements AutoCloseable {

    public static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);
    public static final RequestCodec<UsageDecision> DECISIONS = RequestCodec.of(UsageDecision.class);
    public static final RequestCodec<UsageReport> REPORTS = RequestCodec.of(UsageReport.class);
    public static final RequestCodec<EntitlementsReport> ENTITLEMENTS = RequestCodec.of(EntitlementsReport.class);
    public static final RequestCodec<UsageAlert> ALERTS = RequestCodec.of(UsageAlert.class);
    public static final long RETENTION_MS = EngineDriver.RETENTION_MS;

    public final TopicNames topics;
    private final EngineDriver engine;
    public final TestInputTopic<String, byte[]> requests;
    public final TestOutputTopic<String, byte[]> decisions;
    public final TestOutputTopic<String, byte[]> alerts;
    public final TestOutputTopic<String, byte[]> replies;
    public final TestOutputTopic<String, byte[]> deadLetters;

    public UsageHarness(Path stateDir) {
        this(stateDir, 1);
    }

    public UsageHarness(Path stateDir, int partitions) {
        engine = new EngineDriver(stateDir, partitions);
        topics = engine.topics;
        requests = engine.input(topics.usageRequests());
        decisions = engine.output(topics.usageDecisions());
        alerts = engine.output(topics.usageAlerts());
        replies = engine.replies;
        deadLetters = engine.deadLetters;
    }

    /** Publishes a request as a direct producer would: keyed by its entity key, no reply wanted. */
    public void publish(UsageRequest request, Instant at) {
        requests.pipeInput(new TestRecord<>(request.entityKey(), REQUESTS.write(request), at));
    }

    /** Sends a request as the gateway does and returns the reply it gets (or null if none). */
    public TestRecord<String, byte[]> call(UsageRequest request, Instant at) {
        return engine.call(requests, request.entityKey(), REQUESTS.write(request), at);
    }

    /** Sends a request as the gateway does and returns the decision it is answered with. */
    public UsageDecision decide(UsageRequest request, Instant at) {
        TestRecord<String, byte[]> reply = call(request, at);
        if (reply == null) {
            throw new AssertionError("no reply for " + request);
        }
        return read(DECISIONS, reply.value());
    }

    public UsageReport report(UsageRequest read, Instant at) {
        return read(REPORTS, call(read, at).value());
    }

    public EntitlementsReport entitlements(String workspace, Instant at) {
        return read(ENTITLEMENTS, call(new dev.tally.schemas.usage.ReadEntitlements("read-" + at.toEpochMilli(),
                workspace), at).value());
    }

    public List<UsageAlert> drainAlerts() {
        return alerts.readValuesToList().stream().map(v -> read(ALERTS, v)).toList();
    }

    /** Moves the engine's wall clock, firing the punctuations due (reservation expiry runs on it). */
    public void advanceClock(java.time.Duration by) {
        engine.driver().advanceWallClockTime(by);
    }

    public List<UsageDecision> drainDecisions() {
        return decisions.readValuesToList().stream().map(v -> read(DECISIONS, v)).toList();
    }

    public static <T> T read(RequestCodec<T> codec, byte[] bytes) {
        return EngineDriver.read(codec, bytes);
    }

    public static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    public TopologyTestDriver driver() {
        return engine.driver();
    }

    @Override
    public void close() {
        engine.close();
    }
}
