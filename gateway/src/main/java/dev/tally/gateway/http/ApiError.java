package dev.tally.gateway.http;

import dev.tally.gateway.auth.Grant;
import dev.tally.schemas.FieldError;
import java.util.List;

/**
 * A call the gateway answers itself, before or instead of the engine: bad input, an unknown route. Carries
 * its status and stable code; {@link ErrorResponses} turns it into the JSON body.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldError> errors;
    /** Seconds the caller should wait before trying again, or null. */
    private final Long retryAfterSeconds;
    /** What the caller's grants did not reach, for the operator's log only; null on every other error. */
    private final OutOfReach outOfReach;

    /**
     * An entity a caller asked for that their grants do not cover. The answer hides it (a plain 404); the
     * operator is told, since a key probing other tenants' ids is worth a look.
     *
     * @param id the entity's id; for a claim value, {@code <scope>/<normalised value>} as a grant spells it
     */
    public record OutOfReach(Grant.Kind kind, String id) {
    }

    private ApiError(int status, String code, String message, List<FieldError> errors) {
        this(status, code, message, errors, null, null);
    }

    private ApiError(int status, String code, String message, List<FieldError> errors, Long retryAfterSeconds,
                     OutOfReach outOfReach) {
        // Expected on every bad call: no stack trace to fill.
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
        this.outOfReach = outOfReach;
    }

    public static ApiError invalid(List<FieldError> errors) {
        return new ApiError(400, ErrorCodes.INVALID_REQUEST, "the request is invalid; see errors", errors);
    }

    public static ApiError invalid(String field, String reason) {
        return invalid(List.of(new FieldError(field, reason)));
    }

    public static ApiError payloadTooLarge(int maxBytes) {
        return new ApiError(413, ErrorCodes.PAYLOAD_TOO_LARGE,
                "the body is larger than " + maxBytes + " bytes", null);
    }

    public static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                "the body must be application/json, not " + (contentType == null ? "missing" : contentType), null);
    }

    public static ApiError unauthenticated(String message) {
        return new ApiError(401, ErrorCodes.UNAUTHENTICATED, message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, ErrorCodes.FORBIDDEN, message, null);
    }

    /** Nothing of that name (a schema file): an ordinary answer, not logged. */
    public static ApiError notFound() {
        return new ApiError(404, ErrorCodes.NOT_FOUND, "not found", null);
    }

    /**
     * What a key may not see answers like what does not exist ({@link #notFound()}: the same status, code and
     * message), but unlike it is logged, naming what was out of reach.
     */
    public static ApiError outOfReach(Grant.Kind kind, String id) {
        return new ApiError(404, ErrorCodes.NOT_FOUND, "not found", null, null, new OutOfReach(kind, id));
    }

    public static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, ErrorCodes.METHOD_NOT_ALLOWED, "route " + path + " does not take " + method, null);
    }

    public static ApiError tooManyRequests(String callerName, long perSecond, long retryAfterSeconds) {
        return new ApiError(429, ErrorCodes.RATE_LIMITED, "'" + callerName + "' is past its " + perSecond
                + " calls a second; nothing was sent", null, retryAfterSeconds, null);
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** What the caller's grants did not reach, or null when this error is about something else. */
    public OutOfReach outOfReach() {
        return outOfReach;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The fields at fault, or null. */
    public List<FieldError> errors() {
        return errors;
    }
}
