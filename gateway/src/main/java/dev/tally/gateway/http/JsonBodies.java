package dev.tally.gateway.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.tally.schemas.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads a write's JSON body: application/json only (415), at most {@code maxBytes} (413, never read past
 * the limit), and strictly (400 naming the field): unknown fields, wrong types and malformed JSON are
 * refused, because a typo or a "200" for 200 must not be charged as something else.
 */
public final class JsonBodies {

    public static final String APPLICATION_JSON = "application/json";

    /**
     * {@link Json#mapper()}'s configuration, stricter on input: no coercion of "200" to 200, of 1.5 to 1,
     * of 7 to "7", or of 1 to an enum constant. The engine reads with the shared mapper; a caller of the HTTP API gets
     * told instead of guessed at.
     */
    private static final ObjectMapper STRICT = ((JsonMapper) Json.mapper()).rebuild()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private final int maxBytes;

    public JsonBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public <T> T read(Context ctx, Class<T> type) {
        requireJson(ctx.contentType());
        return parse(readBounded(ctx), type);
    }

    /**
     * A body a route may do without: null when none was sent (whatever the content type says, since many
     * clients label every call application/json); otherwise read like {@link #read}.
     */
    public <T> T readOptional(Context ctx, Class<T> type) {
        byte[] body = readBounded(ctx);
        if (body.length == 0) {
            return null;
        }
        requireJson(ctx.contentType());
        return parse(body, type);
    }

    static void requireJson(String contentType) {
        if (contentType == null) {
            throw ApiError.unsupportedMediaType(null);
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        if (!mediaType.toLowerCase(Locale.ROOT).equals(APPLICATION_JSON)) {
            throw ApiError.unsupportedMediaType(contentType);
        }
    }

    private byte[] readBounded(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw ApiError.payloadTooLarge(maxBytes);
        }
        // The declared length may be absent (chunked) or wrong: count what is really read.
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw ApiError.payloadTooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiError.invalid("body", "required: a JSON object");
        }
        T value;
        try {
            value = STRICT.readerFor(type).readValue(body);
        } catch (UnrecognizedPropertyException e) {
            throw ApiError.invalid(path(e), "unknown field; expected one of " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw ApiError.invalid(field, field.equals("body") ? "must be one JSON object" : expected(e));
        } catch (ValueInstantiationException e) {
            // A value type refused what it was given (a slot of 7 minutes): its own reason says why.
            throw ApiError.invalid(path(e), e.getCause() != null ? e.getCause().getMessage() : "has the wrong value");
        } catch (JacksonException e) {
            throw ApiError.invalid("body", "malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (value == null) {
            throw ApiError.invalid("body", "required: a JSON object");
        }
        return value;
    }

    /** What the field wanted, in the caller's words rather than Java's. */
    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "has the wrong type";
        }
        if (target.isEnum()) {
            return "must be one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class) {
            return "must be a whole number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (e instanceof InvalidFormatException) {
            return "has the wrong format";
        }
        return "has the wrong type";
    }

    /** The field at fault, dotted; {@code body} when the document itself is wrong. */
    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "body" : path;
    }

    /** Jackson's first line, without the source excerpt it points into (the caller has the body). */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline > 0 ? message.substring(0, newline) : message;
        int source = line.indexOf("[Source");
        if (source > 0) {
            line = line.substring(0, source).replaceAll("\\s*\\(?start marker at\\s*$", "").trim();
        }
        return line;
    }
}
