package dev.tally.topology.usage;

import dev.tally.schemas.usage.ReservationStatus;
import dev.tally.topology.engine.BinaryFields;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link Reservation} in the reservations store, binary: written on every reserve, commit and release.
 * Layout: version, namespace ("" for none), feature, amount, expiresAtMs, status (by position in
 * {@link #STATUSES}, which only grows at the end), committed, endedAtMs, forgetAtMs, scope flags.
 */
public final class ReservationSerde {

    static final byte VERSION = 1;
    private static final ReservationStatus[] STATUSES = {ReservationStatus.LIVE, ReservationStatus.COMMITTED,
            ReservationStatus.RELEASED, ReservationStatus.EXPIRED};

    private ReservationSerde() {
    }

    public static Serde<Reservation> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(value),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    static byte[] write(Reservation r) {
        byte[] namespace = BinaryFields.utf8(r.namespace() == null ? "" : r.namespace());
        byte[] feature = BinaryFields.utf8(r.feature());
        ByteBuffer out = ByteBuffer.allocate(1 + BinaryFields.sizeOf(namespace) + BinaryFields.sizeOf(feature)
                + 8 + 8 + 1 + 8 + 8 + 8 + 1);
        out.put(VERSION);
        BinaryFields.putBytes(out, namespace);
        BinaryFields.putBytes(out, feature);
        out.putLong(r.amount()).putLong(r.expiresAtMs()).put((byte) java.util.Arrays.asList(STATUSES).indexOf(r.status()))
                .putLong(r.committed()).putLong(r.endedAtMs()).putLong(r.forgetAtMs())
                .put((byte) ((r.onNamespace() ? 1 : 0) | (r.onWorkspace() ? 2 : 0)));
        return out.array();
    }

    static Reservation read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("reservation record of unknown version " + version);
        }
        String namespace = BinaryFields.getText(in);
        String feature = BinaryFields.getText(in);
        long amount = in.getLong();
        long expiresAtMs = in.getLong();
        ReservationStatus status = STATUSES[in.get()];
        long committed = in.getLong();
        long endedAtMs = in.getLong();
        long forgetAtMs = in.getLong();
        byte flags = in.get();
        return new Reservation(namespace.isEmpty() ? null : namespace, feature, amount, expiresAtMs, status,
                committed, endedAtMs, forgetAtMs, (flags & 1) != 0, (flags & 2) != 0);
    }
}
