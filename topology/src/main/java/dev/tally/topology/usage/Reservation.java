package dev.tally.topology.usage;

import dev.tally.schemas.usage.ReservationStatus;
import dev.tally.schemas.usage.ReservationView;
import java.time.Instant;

/**
 * One reservation of a workspace, as its task keeps it. {@code onNamespace} and {@code onWorkspace} say
 * which scopes' {@code reserved} counters hold its amount, so ending it gives back exactly what it took.
 * An ended reservation is kept until {@code forgetAtMs}, so that a late commit learns how it ended.
 */
public record Reservation(
        String namespace,
        String feature,
        long amount,
        long expiresAtMs,
        ReservationStatus status,
        long committed,
        long endedAtMs,
        long forgetAtMs,
        boolean onNamespace,
        boolean onWorkspace) {

    public static Reservation live(String namespace, String feature, long amount, long expiresAtMs,
                                   boolean onNamespace, boolean onWorkspace) {
        return new Reservation(namespace, feature, amount, expiresAtMs, ReservationStatus.LIVE, 0, 0, 0,
                onNamespace, onWorkspace);
    }

    public boolean isLive() {
        return status == ReservationStatus.LIVE;
    }

    /** When the store must look at it again: its expiry while live, then the time to forget it. */
    public long dueMs() {
        return isLive() ? expiresAtMs : forgetAtMs;
    }

    public Reservation ended(ReservationStatus how, long committedAmount, long atMs, long retentionMs) {
        return new Reservation(namespace, feature, amount, expiresAtMs, how, committedAmount, atMs,
                Amounts.add(atMs, retentionMs), onNamespace, onWorkspace);
    }

    public ReservationView view(String reservationId) {
        return new ReservationView(reservationId, namespace, feature, amount, Instant.ofEpochMilli(expiresAtMs),
                status, status == ReservationStatus.COMMITTED ? committed : null,
                isLive() ? null : Instant.ofEpochMilli(endedAtMs));
    }
}
