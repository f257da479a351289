package dev.tally.gateway.http;

import dev.tally.schemas.FieldError;
import dev.tally.schemas.Identifiers;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The idempotency key of a write: {@code requestId} in the body or the {@code Idempotency-Key} header,
 * else a fresh one, returned in the decision so the caller can retry with it.
 */
final class RequestIds {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private RequestIds() {
    }

    static String resolve(Context ctx, String fromBody) {
        String fromHeader = ctx.header(IDEMPOTENCY_KEY);
        if (fromHeader != null) {
            List<FieldError> errors = new ArrayList<>();
            Identifiers.requireId(IDEMPOTENCY_KEY, fromHeader, errors);
            if (!errors.isEmpty()) {
                throw ApiError.invalid(errors);
            }
            if (fromBody != null && !fromBody.equals(fromHeader)) {
                // Two keys for one call: whichever we picked, a retry carrying the other would run twice.
                throw ApiError.invalid("requestId", "differs from the Idempotency-Key header; send one or the same");
            }
            return fromHeader;
        }
        return fromBody != null ? fromBody : generate();
    }

    static String generate() {
        return UUID.randomUUID().toString();
    }
}
