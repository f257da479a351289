package dev.tally.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (API key, or JWT subject): {@code perSecond} calls a second on average, up to a
 * burst of one second's worth at once. Per gateway instance: behind a load balancer spreading calls over N
 * gateways, a caller gets up to N times this. An issuer may have millions of subjects, so at most once a
 * second the buckets idle for a second or more are dropped: they are full by then, the same as a new one.
 */
public final class CallRates {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long perSecond;
    /** A full bucket: one second's worth of calls, in nanoseconds of refill. */
    private final long capacityNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepNanos;

    /** @param perSecond calls a second per key; 0 for no limit */
    public CallRates(long perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.capacityNanos = NANOS_PER_SECOND * perSecond;
        this.nanoClock = nanoClock;
        this.nextSweepNanos = new AtomicLong(nanoClock.getAsLong() + NANOS_PER_SECOND);
    }

    /**
     * Takes one call from the key's bucket.
     *
     * @return 0 if the call may go, else how many whole seconds to wait before the next one would (at least 1)
     */
    public long take(String keyName) {
        if (perSecond == 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long sweepAt = nextSweepNanos.get();
        if (now - sweepAt >= 0 && nextSweepNanos.compareAndSet(sweepAt, now + NANOS_PER_SECOND)) {
            // A bucket dropped while a call takes from it costs at most that call's token: one call too many.
            buckets.values().removeIf(bucket -> bucket.idleAt(now));
        }
        return buckets.computeIfAbsent(keyName, k -> new Bucket(now)).take();
    }

    /** How many callers have a bucket now. */
    int tracked() {
        return buckets.size();
    }

    private final class Bucket {
        /** Tokens in nanoseconds of refill: one call costs NANOS_PER_SECOND, refilled at perSecond a second. */
        private long credit;
        private long lastNanos;

        Bucket(long now) {
            this.credit = capacityNanos;
            this.lastNanos = now;
        }

        synchronized boolean idleAt(long now) {
            return now - lastNanos >= NANOS_PER_SECOND;
        }

        synchronized long take() {
            // Read under the lock, not passed in: a time read before another thread's take would move lastNanos back.
            long now = nanoClock.getAsLong();
            // At most a second counts: the bucket is full by then, and a long idle must not overflow the product.
            long elapsed = Math.min(Math.max(0, now - lastNanos), NANOS_PER_SECOND);
            credit = Math.min(capacityNanos, credit + elapsed * perSecond);
            lastNanos = now;
            if (credit >= NANOS_PER_SECOND) {
                credit -= NANOS_PER_SECOND;
                return 0;
            }
            long missingNanos = (NANOS_PER_SECOND - credit + perSecond - 1) / perSecond;
            return Math.max(1, (missingNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        }
    }
}
