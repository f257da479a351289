package dev.tally.topology.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Length-prefixed fields of the engine's binary store records: an int length, then the bytes. */
public final class BinaryFields {

    private BinaryFields() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The room one field of {@code bytes} takes. */
    public static int sizeOf(byte[] bytes) {
        return Integer.BYTES + bytes.length;
    }

    public static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    public static byte[] getBytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }

    public static String getText(ByteBuffer in) {
        return new String(getBytes(in), StandardCharsets.UTF_8);
    }
}
