package dev.tally.launcher.audit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Reads what the engine wrote and replays it through independent checks of DESIGN.md's invariants.
 * Each check reads its topics from the start to the end they had when the audit began.
 */
public final class Audit {

    /** The Kafka consumer settings: the bootstrap servers, and credentials on a secured cluster. */
    private final Map<String, Object> client;
    private final String topicPrefix;
    private final Duration timeout;
    private final Duration grace;

    /** An audit after the traffic stopped: every request must be answered already. */
    public Audit(String bootstrapServers, String topicPrefix, Duration timeout) {
        this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topicPrefix, timeout,
                Duration.ZERO);
    }

    /**
     * @param client consumer settings: {@code bootstrap.servers} and any security settings the cluster needs
     * @param grace  requests younger than this when the audit starts may still be undecided without a violation
     *               (on a live cluster, some are on their way through the engine)
     */
    public Audit(Map<String, ?> client, String topicPrefix, Duration timeout, Duration grace) {
        this.client = Map.copyOf(client);
        this.topicPrefix = topicPrefix;
        this.timeout = timeout;
        this.grace = grace;
    }

    /** The result of one audit: a summary line per check, and every violation found. */
    public record Report(List<String> summaries, List<Violation> violations, long records) {

        public boolean clean() {
            return violations.isEmpty();
        }

        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "audit: %,d records read%n", records);
            summaries.forEach(line -> out.println("  " + line));
            violations.forEach(violation -> out.println("VIOLATION " + violation));
            out.println(clean() ? "audit: no violation" : "audit: " + violations.size() + " violation(s)");
        }
    }

    /**
     * What a what-if replay found: how many usage and booking decisions it decided again (and how many booking
     * decisions it counted as they happened), and which decisions would change.
     */
    public record WhatIfReport(int limits, long usageReplayed, long usageNotReplayed, int capacities,
                               long bookingsReplayed, long bookingsAsTheyHappened, List<WhatIfChange> changes) {

        public void print(PrintStream out) {
            if (limits > 0) {
                out.printf(Locale.ROOT,
                        "what-if: %,d usage records under HARD limits replayed against %d other limit(s); %,d"
                        + " not replayed (no HARD limit: none, unlimited, disabled or SOFT; dry runs; other"
                        + " refusals)%n", usageReplayed, limits, usageNotReplayed);
            }
            if (capacities > 0) {
                out.printf(Locale.ROOT,
                        "what-if: %,d booking decisions replayed against %d other %s; %,d counted as they"
                        + " happened (composite holds, finds, other refusals)%n", bookingsReplayed, capacities,
                        capacities == 1 ? "capacity" : "capacities", bookingsAsTheyHappened);
            }
            changes.forEach(change -> out.println("CHANGE " + change));
            out.printf(Locale.ROOT, "what-if: %,d decision(s) would change%n", changes.size());
        }
    }

    /**
     * Replays the usage decisions against the file's limits and the booking decisions against its capacities,
     * and lists the decisions that would change. Each replay reads its topics only if the file names a limit
     * (or a capacity).
     */
    public WhatIfReport whatIf(WhatIfFile file) {
        TopicReader reader = new TopicReader(client, timeout);
        List<WhatIfChange> changes = new ArrayList<>();
        UsageWhatIf usage = new UsageWhatIf(file);
        if (file.limits() > 0) {
            reader.read(topicPrefix + "usage.decisions", usage::accept);
            changes.addAll(usage.changes());
        }
        RequestedBookings requests = new RequestedBookings();
        CapacityWhatIf bookings = new CapacityWhatIf(file, requests);
        if (file.capacities() > 0) {
            // The requests first: a refused booking's range is only there.
            reader.read(topicPrefix + "bookings.requests", requests::accept);
            reader.read(topicPrefix + "bookings.decisions", bookings::accept);
            changes.addAll(bookings.changes());
        }
        return new WhatIfReport(file.limits(), usage.replayed(), usage.notReplayed(), file.capacities(),
                bookings.replayed(), bookings.asTheyHappened(), changes);
    }

    public Report run() {
        long decidedBeforeMs = System.currentTimeMillis() - grace.toMillis();
        List<Check> checks = List.of(new OneDecisionPerRequest(), new EveryRequestDecided(topicPrefix, decidedBeforeMs),
                new UsageWithinLimits(), new UsageByEffectiveLimits(), new CapacityPerResource(),
                new OneOwnerPerClaim(), new CompositesAllOrNothing(decidedBeforeMs));
        // Each topic is read once, in partition order, and every check that reads it sees each record.
        Map<String, List<Check>> readers = new LinkedHashMap<>();
        for (Check check : checks) {
            for (String topic : check.topics()) {
                readers.computeIfAbsent(topic, t -> new ArrayList<>()).add(check);
            }
        }
        TopicReader reader = new TopicReader(client, timeout);
        long records = 0;
        for (Map.Entry<String, List<Check>> topic : readers.entrySet()) {
            List<Check> interested = topic.getValue();
            records += reader.read(topicPrefix + topic.getKey(), record -> interested.forEach(c -> c.accept(record)));
        }
        List<String> summaries = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (Check check : checks) {
            summaries.add(check.summary());
            violations.addAll(check.violations());
        }
        return new Report(summaries, violations, records);
    }
}
