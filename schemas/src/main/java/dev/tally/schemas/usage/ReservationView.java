package dev.tally.schemas.usage;

import java.time.Instant;

/** A reservation as decisions show it. {@code endedAt} once it ended; {@code committed} once COMMITTED. */
public record ReservationView(
        String reservationId,
        String namespace,
        String feature,
        long amount,
        Instant expiresAt,
        ReservationStatus status,
        Long committed,
        Instant endedAt) {
}
