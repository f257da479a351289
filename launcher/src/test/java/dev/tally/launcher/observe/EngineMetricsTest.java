package dev.tally.launcher.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's meters: what each decision, event and dead letter adds, and the decision latency. */
class EngineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(10_000);
    private final EngineMetrics meters = new EngineMetrics(registry, now::get);

    private double decisions(String domain, String outcome, String code) {
        return registry.get("tally.engine.decisions").tag("domain", domain).tag("outcome", outcome).tag("code", code)
                .counter().count();
    }

    @Test
    void decisionsAreCountedByDomainOutcomeAndCode() {
        meters.decided("usage", "OK", 9_990);
        meters.decided("usage", "OK", 9_990);
        meters.decided("usage", "QUOTA_EXCEEDED", 9_990);
        meters.decided("bookings", "AVAILABILITY_CONFLICT", 9_990);
        meters.decided("claims", "SOMETHING_NEWER", 9_990);

        assertThat(decisions("usage", "ACCEPTED", "OK")).isEqualTo(2);
        assertThat(decisions("usage", "REJECTED", "QUOTA_EXCEEDED")).isEqualTo(1);
        assertThat(decisions("bookings", "REJECTED", "AVAILABILITY_CONFLICT")).isEqualTo(1);
        assertThat(decisions("claims", "UNKNOWN", "SOMETHING_NEWER")).isEqualTo(1);
    }

    @Test
    void latencyRunsFromTheRequestsTimestampToNowAndAClockAheadCountsAsNone() {
        meters.decided("usage", "OK", 9_990);
        meters.decided("usage", "OK", 9_700);
        meters.decided("usage", "OK", 12_000);

        Timer latency = registry.get("tally.engine.decision.latency").timer();
        assertThat(latency.count()).isEqualTo(3);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(310);
        assertThat(latency.max(TimeUnit.MILLISECONDS)).isEqualTo(300);
    }

    @Test
    void eventsAndDeadLettersHaveTheirOwnCounters() {
        meters.event("usage", "RESERVATION_LAPSED");
        meters.deadLettered("tally.usage.requests");
        meters.deadLettered("tally.usage.requests");

        assertThat(registry.get("tally.engine.events").tag("code", "RESERVATION_LAPSED").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("tally.engine.dead.letters").tag("topic", "tally.usage.requests").counter().count())
                .isEqualTo(2);
        assertThat(registry.find("tally.engine.decisions").counters()).isEmpty();
    }
}
