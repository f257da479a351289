package dev.tally.topology.usage;

import dev.tally.schemas.usage.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one scope and feature holds: the sources of its limit (a direct limit, package grants, boosts) and
 * its counters: usage in the current period, and what live reservations hold.
 *
 * <p>{@code countedPeriod} is the period the counters count over: the effective limit's, kept here so a
 * change of period kind can be seen. {@code periodStartMs} only moves forward. A record whose time falls
 * before the current period (a late record from a gateway with a slow clock) is charged to the current
 * period: closing a period and reopening it would let usage in twice. {@code alertsSent} has one bit per
 * alert threshold already sent in this period.
 */
public record Account(LimitSpec direct, List<PackageGrant> packages, List<Boost> boosts, Period countedPeriod,
                      long periodStartMs, long used, long reserved, int alertsSent) {

    private static final Comparator<PackageGrant> BY_CODE = Comparator.comparing(PackageGrant::packageCode);

    public Account {
        packages = List.copyOf(packages);
        boosts = List.copyOf(boosts);
    }

    /** An account with nothing in it yet: the first source or reservation gives it a period. */
    public static Account empty() {
        return new Account(null, List.of(), List.of(), Period.LIFETIME, PeriodWindow.UNBOUNDED, 0, 0, 0);
    }

    /** An account with only a direct limit, opened at {@code atMs}. */
    public static Account limitedTo(LimitSpec limit, long atMs) {
        return empty().withDirect(limit).at(atMs);
    }

    /** This account as seen at {@code atMs} under the limit its own sources give then. */
    public Account at(long atMs) {
        return at(atMs, effective(atMs));
    }

    /** The limit this account's sources give at {@code atMs}. */
    public EffectiveLimit effective(long atMs) {
        return EffectiveLimit.of(this, atMs);
    }

    /**
     * This account as seen at {@code atMs} under {@code effective}: a new period starts with no usage and no
     * alerts sent. If the period kind changed, usage so far is carried into the new kind's current window,
     * which errs on the side of refusing rather than of letting a period's usage in twice. Reservations
     * outlive periods: they count until they end.
     */
    public Account at(long atMs, EffectiveLimit effective) {
        Period period = effective.isDefined() ? effective.period() : countedPeriod;
        Account rolled = rolledWithin(atMs);
        if (period == countedPeriod) {
            return rolled;
        }
        // A late record must not move the start back: the new kind's window is taken at the later of the two.
        long at = Math.max(atMs, rolled.periodStartMs);
        // A window of another kind is another period: its thresholds have not been alerted yet.
        return new Account(direct, packages, boosts, period, PeriodWindow.of(period, at).startMs(), rolled.used,
                reserved, 0);
    }

    /** Rolled to {@code atMs} under the period it counts now: a new window starts empty. */
    private Account rolledWithin(long atMs) {
        long start = PeriodWindow.of(countedPeriod, atMs).startMs();
        if (start > periodStartMs) {
            return new Account(direct, packages, boosts, countedPeriod, start, 0, reserved, 0);
        }
        return this;
    }

    public PeriodWindow window() {
        return PeriodWindow.startingAt(countedPeriod, periodStartMs);
    }

    public Account charged(long amount) {
        return new Account(direct, packages, boosts, countedPeriod, periodStartMs, Amounts.add(used, amount),
                reserved, alertsSent);
    }

    public Account withReserved(long newReserved) {
        return new Account(direct, packages, boosts, countedPeriod, periodStartMs, used, newReserved, alertsSent);
    }

    public Account withAlertsSent(int bits) {
        return new Account(direct, packages, boosts, countedPeriod, periodStartMs, used, reserved, bits);
    }

    public Account withDirect(LimitSpec limit) {
        return new Account(limit, packages, boosts, countedPeriod, periodStartMs, used, reserved, alertsSent);
    }

    /** With {@code grant} in place of any grant of the same package, in packageCode order. */
    public Account withPackage(PackageGrant grant) {
        List<PackageGrant> next = new ArrayList<>(packages.size() + 1);
        for (PackageGrant existing : packages) {
            if (!existing.packageCode().equals(grant.packageCode())) {
                next.add(existing);
            }
        }
        next.add(grant);
        next.sort(BY_CODE);
        return new Account(direct, next, boosts, countedPeriod, periodStartMs, used, reserved, alertsSent);
    }

    public Account withoutPackage(String packageCode) {
        List<PackageGrant> next = packages.stream().filter(p -> !p.packageCode().equals(packageCode)).toList();
        return new Account(direct, next, boosts, countedPeriod, periodStartMs, used, reserved, alertsSent);
    }

    /** With {@code boost} added and boosts expired by {@code atMs} dropped: they count no more. */
    public Account withBoost(Boost boost, long atMs) {
        List<Boost> next = new ArrayList<>(boosts.size() + 1);
        for (Boost existing : boosts) {
            if (existing.isLiveAt(atMs)) {
                next.add(existing);
            }
        }
        next.add(boost);
        return new Account(direct, packages, next, countedPeriod, periodStartMs, used, reserved, alertsSent);
    }

    public List<Boost> liveBoosts(long atMs) {
        return boosts.stream().filter(b -> b.isLiveAt(atMs)).toList();
    }

    /** Usage and reservations together: what the limit must cover. */
    public long committedAndHeld() {
        return Amounts.add(used, reserved);
    }
}
