package dev.tally.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * Reads and writes one message type as JSON bytes. Reading fails with {@link UnreadableException}, whose
 * reason names the field at fault: that reason goes to the dead-letter topic or into a 400.
 */
public final class RequestCodec<T> {

    private final ObjectReader reader;
    private final ObjectWriter writer;

    private RequestCodec(Class<T> type) {
        this.reader = Json.mapper().readerFor(type);
        this.writer = Json.mapper().writerFor(type);
    }

    public static <T> RequestCodec<T> of(Class<T> type) {
        return new RequestCodec<>(type);
    }

    public T read(byte[] json) throws UnreadableException {
        if (json == null) {
            throw new UnreadableException("record has no value");
        }
        try {
            T value = reader.readValue(json);
            if (value == null) {
                throw new UnreadableException("value is JSON null");
            }
            return value;
        } catch (JsonMappingException e) {
            throw new UnreadableException(describe(e));
        } catch (JsonProcessingException e) {
            throw new UnreadableException("not JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UnreadableException("not JSON: " + e.getMessage());
        }
    }

    public byte[] write(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // Our own records always serialise; failing here is a programming error.
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String what = firstLine(e.getOriginalMessage());
        return path.isEmpty() ? what : path + ": " + what;
    }

    /** Jackson's messages run long and quote source excerpts; the first line is the useful part. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    /** The bytes are not a message of this type: not JSON, or JSON of another shape. */
    public static final class UnreadableException extends Exception {
        public UnreadableException(String reason) {
            super(reason, null, false, false);
        }
    }
}
