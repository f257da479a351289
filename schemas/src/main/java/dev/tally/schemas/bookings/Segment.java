package dev.tally.schemas.bookings;

/** One resource's part of a composite booking: a quantity over a range, as a single booking would take. */
public record Segment(String resource, String from, String to, Long quantity) {
}
