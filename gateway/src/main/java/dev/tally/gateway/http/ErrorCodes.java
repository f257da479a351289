package dev.tally.gateway.http;

/**
 * The codes of the answers the gateway gives itself. Stable like decision codes: clients and dashboards
 * match on them, so a code is never renamed or reused.
 */
public final class ErrorCodes {

    /** 400: malformed or invalid input; {@code errors} names the fields. Nothing was sent. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    /** 401: no API key, or one the gateway does not know (only when the gateway has keys). */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    /** 403: the key covers the workspace or resource but may not manage it (limits, packages, definitions). */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** 404: no such route, or a workspace, resource or claim scope the caller's key does not cover. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** 405: the route exists for other methods. */
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    /** 413: the body is larger than {@code http.body.max.bytes}. */
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    /** 415: a write whose body is not application/json. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    /** 429: the caller's key is past {@code rate.limit.per.key}; nothing was sent. Retry-After says when. */
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** 503: too many calls wait for decisions; nothing was sent. Retry-After says when to retry. */
    public static final String OVERLOADED = "OVERLOADED";
    /** 503: this instance reads no reply partition (starting, or more gateways than reply partitions). */
    public static final String NOT_READY = "NOT_READY";
    /** 503: the request could not be handed to Kafka, or the gateway is stopping; it may have been applied. */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** 504: no decision in time; it may have been applied. Retrying with the same requestId is safe. */
    public static final String DECISION_TIMEOUT = "DECISION_TIMEOUT";
    /** 500: a bug in the gateway. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private ErrorCodes() {
    }
}
