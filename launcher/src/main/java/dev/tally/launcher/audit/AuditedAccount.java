package dev.tally.launcher.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One scope and feature: its sources and counters. {@code hasDirect} with a null {@code direct} is a direct
 * limit whose value no decision showed. {@code packages} are keyed and ordered by packageCode.
 *
 * <p>Periods are UTC calendar windows by record time that only move forward (a late record is charged to the
 * current window); a change of sources is applied at its record's time and, if it changes the period kind,
 * carries the current window's usage into the new kind's current window.
 */
final class AuditedAccount {

    /** The start of LIFETIME's one window, which has none; also the start of an account never rolled. */
    static final long UNBOUNDED = Long.MIN_VALUE;

    boolean hasDirect;
    AuditedGrant direct;
    final TreeMap<String, AuditedPackageGrant> packages = new TreeMap<>();
    final List<AuditedBoost> boosts = new ArrayList<>();
    String period = "LIFETIME";
    long periodStartMs = UNBOUNDED;
    long used;
    long reserved;

    AuditedAccount copy() {
        AuditedAccount copy = new AuditedAccount();
        copy.hasDirect = hasDirect;
        copy.direct = direct;
        copy.packages.putAll(packages);
        copy.boosts.addAll(boosts);
        copy.period = period;
        copy.periodStartMs = periodStartMs;
        copy.used = used;
        copy.reserved = reserved;
        return copy;
    }

    /**
     * Moves the counters to {@code atMs} under the effective limit its sources give then, which it returns: a
     * later window of the counted period starts with no usage; a new period kind takes the usage so far into its
     * current window, taken at the later of the record time and the current window's start, since a window never
     * moves back.
     * Reservations outlive windows.
     */
    AuditedEffectiveLimit rollTo(long atMs) {
        AuditedEffectiveLimit effective = AuditedEffectiveLimit.of(this, atMs);
        long windowStart = windowStart(period, atMs);
        if (windowStart > periodStartMs) {
            periodStartMs = windowStart;
            used = 0;
        }
        if (effective.defined() && !effective.period().equals(period)) {
            periodStartMs = windowStart(effective.period(), Math.max(atMs, periodStartMs));
            period = effective.period();
        }
        return effective;
    }

    /** The start of the UTC calendar window of {@code period} that holds {@code atMs}; LIFETIME has none. */
    private static long windowStart(String period, long atMs) {
        ZonedDateTime at = Instant.ofEpochMilli(atMs).atZone(ZoneOffset.UTC);
        return switch (period) {
            case "HOUR" -> at.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli();
            case "DAY" -> at.truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli();
            case "MONTH" -> at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant().toEpochMilli();
            default -> UNBOUNDED;
        };
    }
}
