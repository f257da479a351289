package dev.tally.topology.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodWindowTest {

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void calendar_windows_are_utc_and_end_where_the_next_one_starts() {
        PeriodWindow february = PeriodWindow.of(Period.MONTH, ms("2028-02-29T23:59:59.999Z"));
        PeriodWindow day = PeriodWindow.of(Period.DAY, ms("2026-03-29T01:30:00Z"));
        PeriodWindow hour = PeriodWindow.of(Period.HOUR, ms("2026-10-18T10:59:59.999Z"));

        assertThat(february.start()).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
        assertThat(february.end()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(day.start()).isEqualTo(Instant.parse("2026-03-29T00:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-03-30T00:00:00Z"));
        assertThat(hour.end()).isEqualTo(Instant.parse("2026-10-18T11:00:00Z"));
    }

    @Test
    void lifetime_has_one_window_without_bounds() {
        PeriodWindow lifetime = PeriodWindow.of(Period.LIFETIME, ms("2026-10-18T10:00:00Z"));

        assertThat(lifetime.start()).isNull();
        assertThat(lifetime.end()).isNull();
        assertThat(PeriodWindow.of(Period.LIFETIME, 0)).isEqualTo(lifetime);
    }

    @Test
    void a_late_record_is_charged_to_the_current_period_never_reopening_a_closed_one() {
        Account november = Account.limitedTo(new LimitSpec(100, Period.MONTH, Enforcement.HARD),
                ms("2026-11-01T00:00:05Z")).charged(40);

        Account seenLate = november.at(ms("2026-10-31T23:59:59Z"));

        assertThat(seenLate).isEqualTo(november);
        assertThat(november.at(ms("2026-12-01T00:00:00Z")).used()).isZero();
    }

    @Test
    void changing_the_period_kind_carries_the_usage_so_far() {
        Account monthly = Account.limitedTo(new LimitSpec(100, Period.MONTH, Enforcement.HARD),
                ms("2026-10-01T00:00:00Z")).charged(70);

        Account daily = monthly.withDirect(new LimitSpec(80, Period.DAY, Enforcement.HARD))
                .at(ms("2026-10-18T10:00:00Z"));

        assertThat(daily.used()).isEqualTo(70);
        assertThat(daily.window().start()).isEqualTo(Instant.parse("2026-10-18T00:00:00Z"));
        assertThat(daily.at(ms("2026-10-19T00:00:00Z")).used()).isZero();
    }
}
