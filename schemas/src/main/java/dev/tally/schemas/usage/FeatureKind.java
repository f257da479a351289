package dev.tally.schemas.usage;

/** What a feature's effective entitlement is, from all its sources (see the README's effective-limit rule). */
public enum FeatureKind {
    /** Limited to {@code limit} per period. */
    METERED,
    /** Counted, never refused. */
    UNLIMITED,
    /** A flag: usable while enabled, not counted against a limit; refused while disabled. */
    BOOLEAN
}
