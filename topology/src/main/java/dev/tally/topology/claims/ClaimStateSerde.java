package dev.tally.topology.claims;

import static dev.tally.topology.engine.BinaryFields.getText;
import static dev.tally.topology.engine.BinaryFields.putBytes;
import static dev.tally.topology.engine.BinaryFields.sizeOf;
import static dev.tally.topology.engine.BinaryFields.utf8;

import dev.tally.schemas.claims.ClaimStatus;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The stored form of a {@link ClaimState}: a version byte, then fixed fields, then length-prefixed text.
 * Written and read only by the engine; the version lets a newer engine tell old records from new.
 */
public final class ClaimStateSerde {

    private static final byte VERSION = 1;

    private ClaimStateSerde() {
    }

    public static Serde<ClaimState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : write(state),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    static byte[] write(ClaimState state) {
        byte[] owner = utf8(state.owner());
        byte[] requestId = utf8(state.claimRequestId());
        Map<String, String> attributes = new TreeMap<>(state.attributes());
        int size = 1 + 1 + 8 * 3 + sizeOf(owner) + sizeOf(requestId) + 4;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            size += sizeOf(utf8(e.getKey())) + sizeOf(utf8(e.getValue()));
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).put((byte) state.status().ordinal())
                .putLong(state.claimedAtMs()).putLong(state.holdUntilMs()).putLong(state.confirmedAtMs());
        putBytes(out, owner);
        putBytes(out, requestId);
        out.putInt(attributes.size());
        attributes.forEach((name, value) -> {
            putBytes(out, utf8(name));
            putBytes(out, utf8(value));
        });
        return out.array();
    }

    static ClaimState read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("claim record of unknown version " + version);
        }
        ClaimStatus status = ClaimStatus.values()[in.get()];
        long claimedAtMs = in.getLong();
        long holdUntilMs = in.getLong();
        long confirmedAtMs = in.getLong();
        String owner = getText(in);
        String requestId = getText(in);
        int count = in.getInt();
        Map<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            attributes.put(getText(in), getText(in));
        }
        return new ClaimState(owner, status, attributes, claimedAtMs, holdUntilMs, confirmedAtMs, requestId);
    }
}
