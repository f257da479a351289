package dev.tally.schemas;

/** Whether a request was applied. Every decision has exactly one. */
public enum Outcome {
    ACCEPTED,
    REJECTED
}
