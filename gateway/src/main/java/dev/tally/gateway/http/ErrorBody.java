package dev.tally.gateway.http;

import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import java.util.List;

/**
 * The body of an answer the gateway gives itself, shaped like a decision. {@code outcome} is REJECTED only
 * when the request certainly was not applied; after a timeout or a failed send it is left out, because the
 * engine may have decided it.
 */
public record ErrorBody(String requestId, Outcome outcome, String code, String message, List<FieldError> errors) {
}
