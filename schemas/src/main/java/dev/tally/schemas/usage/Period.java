package dev.tally.schemas.usage;

/** The window a usage limit counts over. Calendar periods are in UTC. */
public enum Period {
    HOUR,
    DAY,
    MONTH,
    LIFETIME
}
