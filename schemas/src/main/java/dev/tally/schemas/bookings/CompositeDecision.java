package dev.tally.schemas.bookings;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The decision on a composite booking, on the composites decisions topic and as the HTTP answer. Once it
 * is out, every segment is booked (COMPOSITE_BOOKED) or none is (I5).
 *
 * @param refusedSegment on COMPOSITE_REFUSED: the index of the first segment refused
 */
public record CompositeDecision(
        String requestId,
        String type,
        Outcome outcome,
        DecisionCode code,
        String message,
        String compositeId,
        List<SegmentOutcome> segments,
        Integer refusedSegment,
        List<FieldError> errors,
        Instant decidedAt) {

    public CompositeDecision {
        segments = segments == null ? null : List.copyOf(segments);
        errors = errors == null ? null : List.copyOf(errors);
    }
}
