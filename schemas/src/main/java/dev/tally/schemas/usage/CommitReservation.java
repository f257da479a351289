package dev.tally.schemas.usage;

/**
 * End a live reservation by charging {@code amount}: less than reserved returns the rest, more is charged
 * only if the extra fits.
 */
public record CommitReservation(String requestId, String workspace, String reservationId, Long amount)
        implements UsageRequest {

    public static final String TYPE = "commit-reservation";

    @Override
    public CommitReservation withRequestId(String id) {
        return new CommitReservation(id, workspace, reservationId, amount);
    }
}
