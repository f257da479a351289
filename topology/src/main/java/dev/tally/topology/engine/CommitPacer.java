package dev.tally.topology.engine;

import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * When a stream thread commits for the callers waiting on its replies. A reply is read read_committed,
 * so its caller waits for the commit that carries it; asking for a commit right after a reply answers a
 * lone call fast. But Kafka Streams commits as soon as it is asked and then halves how many records it
 * processes per task before it looks again: asked after every reply, a loaded thread committed after
 * about one record per task and spent most of its time in the producer's flush (at 200 calls/s every
 * call ended in 504).
 *
 * <p>So a thread asks again only once the commit it asked for has happened (its {@code commit-total}
 * metric moved) and as much time has passed since as that commit took, at least {@link #MIN_GAP_MS}:
 * at most half its time goes to commits it asked for, and under load each commit carries what arrived
 * meanwhile. A reply written while a commit is pending needs nothing more; one written inside the gap is
 * owed a commit, which a punctuation asks for when the gap ends, unless a commit at the interval carried
 * it first.
 */
final class CommitPacer {

    /** The shortest time between the end of one asked-for commit and the next ask. */
    static final long MIN_GAP_MS = 5;

    private static final ThreadLocal<Pace> PACES = new ThreadLocal<>();

    private CommitPacer() {
    }

    /** A reply was written: true when the thread should be asked to commit now. */
    static boolean afterReply(ProcessorContext<?, ?> context) {
        Pace pace = pace(context);
        return pace == null || pace.afterReply(context.currentSystemTimeMs());
    }

    /** From a punctuation: true when a reply waits for a commit and one may be asked for now. */
    static boolean owed(ProcessorContext<?, ?> context) {
        Pace pace = pace(context);
        return pace != null && pace.owed(context.currentSystemTimeMs());
    }

    /** This thread's pacing; null where the thread has no commit count (then every reply asks). */
    private static Pace pace(ProcessorContext<?, ?> context) {
        Pace pace = PACES.get();
        if (pace == null) {
            Metric commits = commitCount(context, Thread.currentThread().getName());
            if (commits == null) {
                return null;
            }
            pace = new Pace(() -> ((Number) commits.metricValue()).doubleValue());
            PACES.set(pace);
        }
        return pace;
    }

    private static Metric commitCount(ProcessorContext<?, ?> context, String thread) {
        for (Map.Entry<MetricName, ? extends Metric> entry : context.metrics().metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("commit-total") && name.group().equals("stream-thread-metrics")
                    && thread.equals(name.tags().get("thread-id"))) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** One stream thread's pacing, on its count of commits; only that thread reads or writes it. */
    static final class Pace {
        private final DoubleSupplier commits;
        private boolean asked;
        private double commitsAtAsk;
        private long askMs;
        private long lastEndMs = Long.MIN_VALUE / 2;
        private long lastDurationMs;
        private double owedSince = -1;

        Pace(DoubleSupplier commits) {
            this.commits = commits;
        }

        boolean afterReply(long nowMs) {
            observe(nowMs);
            if (asked) {
                return false; // the commit asked for comes after this iteration, and carries this reply
            }
            if (mayAsk(nowMs)) {
                ask(nowMs);
                return true;
            }
            if (owedSince < 0) {
                owedSince = commits.getAsDouble();
            }
            return false;
        }

        boolean owed(long nowMs) {
            observe(nowMs);
            if (owedSince >= 0 && !asked && mayAsk(nowMs)) {
                ask(nowMs);
                return true;
            }
            return false;
        }

        private void observe(long nowMs) {
            double count = commits.getAsDouble();
            if (asked && count > commitsAtAsk) {
                // The thread commits right after the iteration that asked: this is the first look after it.
                asked = false;
                lastEndMs = nowMs;
                lastDurationMs = nowMs - askMs;
            }
            if (owedSince >= 0 && count > owedSince) {
                owedSince = -1; // a commit (asked for, or at the interval) carried the owed replies
            }
        }

        private boolean mayAsk(long nowMs) {
            return nowMs - lastEndMs >= Math.max(MIN_GAP_MS, lastDurationMs);
        }

        private void ask(long nowMs) {
            asked = true;
            commitsAtAsk = commits.getAsDouble();
            askMs = nowMs;
            owedSince = -1;
        }
    }
}
