package dev.tally.schemas.bookings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.FieldError;
import dev.tally.schemas.RequestCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BookingRequestsTest {

    private static final RequestCodec<BookingRequest> CODEC = RequestCodec.of(BookingRequest.class);

    private static BookingRequest read(String json) throws RequestCodec.UnreadableException {
        return CODEC.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_slot_is_DAY_HOUR_or_minutes_that_divide_a_day() throws Exception {
        assertThat(((DefineResource) read("{\"type\":\"define-resource\",\"requestId\":\"r\",\"resource\":\"x\","
                + "\"capacity\":1,\"slot\":\"DAY\",\"timezone\":\"UTC\"}")).slot()).isEqualTo(SlotSize.DAY);
        DefineResource minutes = (DefineResource) read("{\"type\":\"define-resource\",\"requestId\":\"r\","
                + "\"resource\":\"x\",\"capacity\":1,\"slot\":30,\"timezone\":\"UTC\"}");
        assertThat(minutes.slot()).isEqualTo(SlotSize.ofMinutes(30));
        assertThat(new String(CODEC.write(minutes), StandardCharsets.UTF_8)).contains("\"slot\":30");
        assertThatThrownBy(() -> read("{\"type\":\"define-resource\",\"slot\":7}")).hasMessageContaining("slot");
        assertThatThrownBy(() -> read("{\"type\":\"define-resource\",\"slot\":\"WEEK\"}")).hasMessageContaining("slot");
    }

    @Test
    void times_are_dates_local_date_times_or_instants_read_in_the_resources_zone() {
        ZoneId paris = ZoneId.of("Europe/Paris");

        assertThat(TimeText.parse("2026-10-18", paris)).isEqualTo(Instant.parse("2026-10-17T22:00:00Z"));
        assertThat(TimeText.parse("2026-10-18T09:30", paris)).isEqualTo(Instant.parse("2026-10-18T07:30:00Z"));
        assertThat(TimeText.parse("2026-10-18T09:30:00Z", paris)).isEqualTo(Instant.parse("2026-10-18T09:30:00Z"));
        assertThat(TimeText.parse("2026-10-18T09:30-04:00", paris)).isEqualTo(Instant.parse("2026-10-18T13:30:00Z"));
        assertThat(TimeText.isValid("next tuesday")).isFalse();
        assertThat(TimeText.isValid("+300000000-01-01T00:00Z")).as("past epoch milliseconds").isFalse();
        assertThat(TimeText.isValid("9999-12-31T23:00Z")).as("the last day of 9999, whole").isTrue();
        assertThat(TimeText.isValid("+10000-01-01T00:00Z")).isFalse();
        assertThat(TimeText.parse("2026-10-18T09:30:00.0000009Z", paris)).as("cut to the millisecond")
                .isEqualTo(Instant.parse("2026-10-18T09:30:00Z"));
        assertThat(TimeText.isValid("2026-13-01")).isFalse();
    }

    @Test
    void a_user_booking_cannot_take_a_composite_segments_id() {
        assertThat(BookingValidation.validate(new Book("r", "x", "composite:c1:0", null, "2026-10-18", "2026-10-19",
                1L, null))).extracting(FieldError::field).containsExactly("bookingId");
        assertThat(BookingValidation.validate(new Book("composite:c1:0", "x", null, null, "2026-10-18", "2026-10-19",
                1L, null))).as("the requestId is the bookingId by default").extracting(FieldError::field)
                .containsExactly("requestId");
        assertThat(BookingValidation.validate(new CancelBooking("r", "x", "composite:c1:0", null)))
                .as("a confirmed segment can be cancelled like any booking").isEmpty();
        assertThat(BookingValidation.validate(new CancelBooking("composite:c1:0:release", "x", "b1", null)))
                .as("the requestIds of the coordinator's commands").extracting(FieldError::field)
                .containsExactly("requestId");
        assertThat(BookingValidation.validate(new ReleaseSegment("composite:c1:0:release", "x", "c1", 0)))
                .as("the coordinator's own command").isEmpty();
    }

    @Test
    void validation_names_every_field_at_fault() {
        assertThat(BookingValidation.validate(new Book("r", "room|1", "b 1", null, "2026-10-19", "2026-10-18", 0L,
                null))).extracting(FieldError::field).containsExactly("resource", "bookingId", "to", "quantity");
        assertThat(BookingValidation.validate(new DefineResource("r", "x", -1L, null, "Mars/Olympus")))
                .extracting(FieldError::field).containsExactly("capacity", "slot", "timezone");
        assertThat(BookingValidation.validate(new CancelBooking("r", "x", "b1", 0L)))
                .extracting(FieldError::field).containsExactly("expectedVersion");
        assertThat(BookingValidation.validate(new Book("r", "x", null, null, "2026-10-18T23:00", "2026-10-18T22:00:00Z",
                1L, null))).as("a local and an offset time compare only in the resource's zone").isEmpty();
    }
}
