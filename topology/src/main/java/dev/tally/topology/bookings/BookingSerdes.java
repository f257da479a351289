package dev.tally.topology.bookings;

import static dev.tally.topology.engine.BinaryFields.getText;
import static dev.tally.topology.engine.BinaryFields.putBytes;
import static dev.tally.topology.engine.BinaryFields.sizeOf;
import static dev.tally.topology.engine.BinaryFields.utf8;

import dev.tally.schemas.bookings.BookingStatus;
import dev.tally.schemas.bookings.SlotSize;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The stored forms of {@link ResourceState} and {@link BookingState}: a version byte, fixed fields, then
 * length-prefixed text (an absent one as length -1). Written and read only by the engine.
 */
public final class BookingSerdes {

    private static final byte VERSION = 1;

    private BookingSerdes() {
    }

    public static Serde<ResourceState> resources() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : writeResource(state),
                (topic, bytes) -> bytes == null ? null : readResource(bytes));
    }

    public static Serde<BookingState> bookings() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : writeBooking(state),
                (topic, bytes) -> bytes == null ? null : readBooking(bytes));
    }

    static byte[] writeResource(ResourceState state) {
        byte[] zone = utf8(state.timezone());
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 1 + 4 + 8 + sizeOf(zone));
        out.put(VERSION).putLong(state.capacity()).put((byte) state.slot().kind().ordinal())
                .putInt(state.slot().minutes()).putLong(state.liveBookings());
        putBytes(out, zone);
        return out.array();
    }

    static ResourceState readResource(byte[] bytes) {
        ByteBuffer in = versioned(bytes);
        long capacity = in.getLong();
        SlotSize.Kind kind = SlotSize.Kind.values()[in.get()];
        int minutes = in.getInt();
        long live = in.getLong();
        return new ResourceState(capacity, new SlotSize(kind, minutes), getText(in), live);
    }

    static byte[] writeBooking(BookingState state) {
        byte[] externalId = state.externalId() == null ? null : utf8(state.externalId());
        byte[] userId = state.userId() == null ? null : utf8(state.userId());
        ByteBuffer out = ByteBuffer.allocate(1 + 8 * 5 + 1 + optionalSize(externalId) + optionalSize(userId));
        out.put(VERSION).putLong(state.fromMs()).putLong(state.toMs()).putLong(state.quantity())
                .putLong(state.version()).putLong(state.bookedAtMs()).put((byte) state.status().ordinal());
        putOptional(out, externalId);
        putOptional(out, userId);
        return out.array();
    }

    static BookingState readBooking(byte[] bytes) {
        ByteBuffer in = versioned(bytes);
        long fromMs = in.getLong();
        long toMs = in.getLong();
        long quantity = in.getLong();
        long version = in.getLong();
        long bookedAtMs = in.getLong();
        BookingStatus status = BookingStatus.values()[in.get()];
        String externalId = getOptional(in);
        String userId = getOptional(in);
        return new BookingState(externalId, fromMs, toMs, quantity, userId, version, status, bookedAtMs);
    }

    private static ByteBuffer versioned(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("booking store record of unknown version " + version);
        }
        return in;
    }

    private static int optionalSize(byte[] bytes) {
        return bytes == null ? Integer.BYTES : sizeOf(bytes);
    }

    private static void putOptional(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            putBytes(out, bytes);
        }
    }

    private static String getOptional(ByteBuffer in) {
        in.mark();
        if (in.getInt() < 0) {
            return null;
        }
        in.reset();
        return getText(in);
    }
}
