package dev.tally.topology.claims;

import dev.tally.schemas.claims.ClaimStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
        int size = 1 + 1 + 8 * 3 + 4 + owner.length + 4 + requestId.length + 4;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            size += 8 + utf8(e.getKey()).length + utf8(e.getValue()).length;
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static String getText(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
