package dev.tally.schemas;

/** One field at fault in an invalid request, with a reason a person can act on. */
public record FieldError(String field, String reason) {
}
