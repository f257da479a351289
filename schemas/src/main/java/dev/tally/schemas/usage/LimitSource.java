package dev.tally.schemas.usage;

import java.time.Instant;

/**
 * One source of a feature's effective limit. {@code counted} is false for a source the rule sets aside:
 * a base package's grant while a direct limit takes its place.
 */
public record LimitSource(
        SourceKind source,
        String id,
        Long limit,
        Boolean unlimited,
        Boolean enabled,
        Period period,
        Enforcement enforcement,
        Instant expiresAt,
        boolean counted) {
}
