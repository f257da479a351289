package dev.tally.topology.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link Remembered} in the request-id store and its changelog, one per request: a compact binary form,
 * because it is written for every request and JSON would cost a third of the engine's time (base64 of
 * the decision bytes included). Layout: version byte, decidedAtMs, fingerprint, code, decision bytes;
 * strings as a length and UTF-8.
 */
public final class RememberedSerde {

    static final byte VERSION = 1;

    private RememberedSerde() {
    }

    public static Serde<Remembered> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(value),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    static byte[] write(Remembered value) {
        byte[] fingerprint = value.fingerprint().getBytes(StandardCharsets.UTF_8);
        byte[] code = value.code().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 4 + fingerprint.length + 4 + code.length + 4
                + value.decision().length);
        out.put(VERSION).putLong(value.decidedAtMs());
        putBytes(out, fingerprint);
        putBytes(out, code);
        putBytes(out, value.decision());
        return out.array();
    }

    static Remembered read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            // The engine wrote these bytes itself: another version means a newer engine wrote them.
            throw new SerializationException("request memory record of unknown version " + version);
        }
        long decidedAtMs = in.getLong();
        String fingerprint = new String(getBytes(in), StandardCharsets.UTF_8);
        String code = new String(getBytes(in), StandardCharsets.UTF_8);
        return new Remembered(fingerprint, decidedAtMs, code, getBytes(in));
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static byte[] getBytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }
}
