package dev.tally.schemas.usage;

/** Where part of a feature's effective limit comes from. */
public enum SourceKind {
    /** A limit set directly ({@code PUT .../limits/{feature}}); it takes the base package's place. */
    LIMIT,
    BASE_PACKAGE,
    ADDON_PACKAGE,
    BOOST
}
