package dev.tally.schemas.bookings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tally.schemas.Request;

/**
 * A request of the bookings domain, on the bookings requests topic as JSON with a {@code type} field.
 * Keyed by resource id: one task decides every booking of a resource, so a check of its slots and the
 * booking that follows can never be split by another booking.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DefineResource.class, name = DefineResource.TYPE),
        @JsonSubTypes.Type(value = Book.class, name = Book.TYPE),
        @JsonSubTypes.Type(value = CancelBooking.class, name = CancelBooking.TYPE),
        @JsonSubTypes.Type(value = RescheduleBooking.class, name = RescheduleBooking.TYPE),
        @JsonSubTypes.Type(value = ReadAvailability.class, name = ReadAvailability.TYPE),
        @JsonSubTypes.Type(value = HoldSegment.class, name = HoldSegment.TYPE),
        @JsonSubTypes.Type(value = ConfirmSegment.class, name = ConfirmSegment.TYPE),
        @JsonSubTypes.Type(value = ReleaseSegment.class, name = ReleaseSegment.TYPE)
})
public sealed interface BookingRequest extends Request
        permits DefineResource, Book, CancelBooking, RescheduleBooking, ReadAvailability, HoldSegment,
        ConfirmSegment, ReleaseSegment {

    String resource();

    @Override
    @JsonIgnore
    default String entityKey() {
        return resource();
    }

    /** The same request under another id: retries compare bodies without their ids. */
    BookingRequest withRequestId(String requestId);
}
