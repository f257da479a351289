package dev.tally.topology.engine;

import static dev.tally.topology.engine.BinaryFields.getBytes;
import static dev.tally.topology.engine.BinaryFields.getText;
import static dev.tally.topology.engine.BinaryFields.putBytes;
import static dev.tally.topology.engine.BinaryFields.sizeOf;
import static dev.tally.topology.engine.BinaryFields.utf8;

import java.nio.ByteBuffer;
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
        byte[] fingerprint = utf8(value.fingerprint());
        byte[] code = utf8(value.code());
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + sizeOf(fingerprint) + sizeOf(code) + sizeOf(value.decision()));
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
        String fingerprint = getText(in);
        String code = getText(in);
        return new Remembered(fingerprint, decidedAtMs, code, getBytes(in));
    }
}
