package dev.tally.topology.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.bookings.BookingStatus;
import dev.tally.schemas.bookings.SlotSize;
import org.junit.jupiter.api.Test;

class BookingSerdesTest {

    @Test
    void resources_and_bookings_read_back_as_written() {
        ResourceState resource = new ResourceState(5, SlotSize.ofMinutes(30), "America/New_York", 3);
        BookingState withIds = new BookingState("gcal-7", 1_000, 2_000, 2, "user-1", 3, BookingStatus.BOOKED, 500);
        BookingState withoutIds = new BookingState(null, -86_400_000, 0, 1, null, 1, BookingStatus.CANCELLED, 0);

        assertThat(BookingSerdes.readResource(BookingSerdes.writeResource(resource))).isEqualTo(resource);
        assertThat(BookingSerdes.readBooking(BookingSerdes.writeBooking(withIds))).isEqualTo(withIds);
        assertThat(BookingSerdes.readBooking(BookingSerdes.writeBooking(withoutIds))).isEqualTo(withoutIds);
    }

    @Test
    void slot_keys_sort_in_time_order_before_and_after_1970() {
        String before = StoreBookings.slotKey("r", java.time.Instant.parse("1969-12-31T00:00:00Z"));
        String epoch = StoreBookings.slotKey("r", java.time.Instant.EPOCH);
        String after = StoreBookings.slotKey("r", java.time.Instant.parse("2026-10-18T00:00:00Z"));

        assertThat(before).isLessThan(epoch);
        assertThat(epoch).isLessThan(after);
    }
}
