package dev.tally.schemas.usage;

/** End a live reservation with no charge: its whole amount is returned. */
public record ReleaseReservation(String requestId, String workspace, String reservationId)
        implements UsageRequest {

    public static final String TYPE = "release-reservation";

    @Override
    public ReleaseReservation withRequestId(String id) {
        return new ReleaseReservation(id, workspace, reservationId);
    }
}
