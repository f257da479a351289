package dev.tally.topology.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeKeysTest {

    @Test
    void keys_read_back_and_sort_in_time_order_before_and_after_1970() {
        long[] times = {-86_400_000L, -1L, 0L, 1L, 1_792_000_000_000L};
        for (int i = 0; i < times.length; i++) {
            String key = "x|" + TimeKeys.encode(times[i]);
            assertThat(TimeKeys.decode(key, 2)).isEqualTo(times[i]);
            if (i > 0) {
                assertThat(TimeKeys.encode(times[i - 1])).isLessThan(TimeKeys.encode(times[i]));
            }
        }
    }
}
