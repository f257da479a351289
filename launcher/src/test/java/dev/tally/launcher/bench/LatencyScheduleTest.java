package dev.tally.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyScheduleTest {

    @Test
    void the_warm_up_ramps_from_a_tenth_of_the_rate_then_holds_the_rate() {
        LatencyBench.Schedule schedule = new LatencyBench.Schedule(200, 20);
        long warmup = schedule.warmupRequests();

        assertThat(warmup).as("(20 + 200) / 2 per second for 20 s").isEqualTo(2_200);
        assertThat(schedule.dueNs(0)).isZero();
        assertThat(schedule.dueNs(warmup) / 1e9).isCloseTo(20.0, within(1e-6));
        // First second of the ramp: about 20 to 29 requests; the last: about 191 to 200.
        assertThat(schedule.dueNs(25) / 1e9).isBetween(0.9, 1.2);
        assertThat((schedule.dueNs(warmup) - schedule.dueNs(warmup - 195)) / 1e9).isBetween(0.95, 1.05);
        // Then one request every 5 ms.
        assertThat(schedule.dueNs(warmup + 200) - schedule.dueNs(warmup)).isEqualTo(1_000_000_000L);
        for (long i = 1; i < warmup + 400; i++) {
            assertThat(schedule.dueNs(i)).as("request %d", i).isGreaterThanOrEqualTo(schedule.dueNs(i - 1));
        }
    }

    @Test
    void without_warm_up_requests_are_evenly_spaced_from_the_start() {
        LatencyBench.Schedule schedule = new LatencyBench.Schedule(50, 0);

        assertThat(schedule.warmupRequests()).isZero();
        assertThat(schedule.dueNs(1)).isEqualTo(20_000_000L);
        assertThat(schedule.dueNs(50)).isEqualTo(1_000_000_000L);
    }
}
