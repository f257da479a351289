package dev.tally.launcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TopicNames;
import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.testing.TestClients.Decided;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.usage.UsageDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Usage requests streamed straight to Kafka at a steady rate, as a service publishing its usage would, over
 * a few workspaces with hard limits small enough to be reached; and the check that the decisions kept every
 * promise: one decision per request id, accepted amounts within each limit, each charged once, and a
 * rejection only when the amount really did not fit.
 *
 * <p>Limits are reached within seconds, after which a workspace's decisions are rejections that change
 * nothing. So that every fault of a long run lands while usage is still being charged, a test moves the
 * traffic to fresh workspaces ({@link #nextEpoch}) before each fault and marks the fault
 * ({@link #markFault}); the check then asserts that usage was accepted after every fault.
 */
public final class UsageTraffic implements AutoCloseable {

    /** One usage request: {@code seq} orders them as sent; its id is {@code u-<seq>}. */
    public record Usage(long seq, String workspace, long amount) {
        public String requestId() {
            return "u-" + seq;
        }

        String json() {
            return "{\"type\":\"record-usage\",\"requestId\":\"" + requestId() + "\",\"workspace\":\"" + workspace
                    + "\",\"feature\":\"ai.tokens\",\"amount\":" + amount + "}";
        }
    }

    /** What the decisions showed, how many violations the audit found, and its summary lines. */
    public record Figures(int requests, int accepted, int rejected, int retries, long decisions, int violations,
                          List<String> auditSummaries) {
    }

    /** A fault, for the check: the traffic's workspaces when it came, and the seq of the next request sent. */
    private record Fault(long fromSeq, List<String> workspaces) {
    }

    private static final String FEATURE_LIMIT_ID = "limit-";
    private final String bootstrapServers;
    private final TopicNames topics;
    private final int workspaceCount;
    private final long baseLimit;
    /** Every workspace's limit, of every epoch: written by the test's thread, read by the stream's. */
    private final Map<String, Long> limits = new ConcurrentHashMap<>();
    /** The workspaces requests go to now. */
    private volatile List<String> current;
    /** The next epoch's workspaces, until the stream has set their limits and moved to them. */
    private final AtomicReference<List<String>> nextEpoch = new AtomicReference<>();
    private int epochs;
    private final List<Fault> faults = new ArrayList<>();
    private final List<Usage> sent = new ArrayList<>();
    private final AtomicLong sentCount = new AtomicLong();
    private final Random random = new Random(42);
    private PacedStream stream;

    /** Workspaces {@code ws-0..ws-(n-1)}, with hard lifetime limits of {@code baseLimit + 100 * w}; each epoch's alike. */
    public UsageTraffic(String bootstrapServers, TopicNames topics, int workspaces, long baseLimit) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.workspaceCount = workspaces;
        this.baseLimit = baseLimit;
        this.current = newWorkspaces("ws-");
    }

    /** Workspaces named {@code <prefix>0..}, each with its limit. */
    private List<String> newWorkspaces(String prefix) {
        List<String> names = new ArrayList<>();
        for (int w = 0; w < workspaceCount; w++) {
            names.add(prefix + w);
            limits.put(prefix + w, baseLimit + 100L * w);
        }
        return List.copyOf(names);
    }

    /** The workspaces requests go to now. */
    public Set<String> workspaces() {
        return Set.copyOf(current);
    }

    /**
     * Moves the stream to fresh workspaces with fresh limits, and returns once it has: their limits are sent
     * by the stream's own producer before their first usage, so each partition has the limit first.
     */
    public void nextEpoch() {
        List<String> fresh = newWorkspaces("e" + (++epochs) + "-ws-");
        nextEpoch.set(fresh);
        Await.until(Duration.ofSeconds(30), "the stream moving to epoch " + epochs, () -> current == fresh);
    }

    /**
     * Notes a fault that has just happened, or is about to last a while: the check asserts that usage of the
     * current workspaces sent from now on was accepted.
     */
    public void markFault() {
        faults.add(new Fault(sent(), current));
    }

    private ProducerRecord<String, String> limitRecord(String ws) {
        return new ProducerRecord<>(topics.usageRequests(), ws,
                "{\"type\":\"set-limit\",\"requestId\":\"" + FEATURE_LIMIT_ID + ws + "\",\"workspace\":\"" + ws
                        + "\",\"feature\":\"ai.tokens\",\"limit\":" + limits.get(ws)
                        + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
    }

    /** Sets each first workspace's limit and waits until an engine decided them all. */
    private void setLimits(Duration timeout) {
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrapServers)) {
            current.forEach(ws -> producer.send(limitRecord(ws)));
        }
        Set<String> ids = current.stream().map(ws -> FEATURE_LIMIT_ID + ws).collect(Collectors.toSet());
        TestClients.readDecisionsUntil(bootstrapServers, topics.usageDecisions(), timeout,
                read -> read.stream().map(d -> d.decision().requestId()).collect(Collectors.toSet()).containsAll(ids));
    }

    /**
     * Sets the limits, then streams requests at about {@code perSecond} in the background until {@link #stop},
     * and returns a watch on the decisions once every workspace has had one: the engine decides.
     */
    public DecisionWatch startWatched(int perSecond, Duration timeout) {
        setLimits(timeout);
        // Watched from here on: an engine has decided the limits, so the topics exist.
        DecisionWatch watch = new DecisionWatch(bootstrapServers, topics.usageDecisions());
        start(perSecond);
        watch.awaitResumed(workspaces(), 0, System.nanoTime(), timeout);
        return watch;
    }

    /** Streams requests at about {@code perSecond} in the background until {@link #stop}. */
    public void start(int perSecond) {
        stream = new PacedStream("usage-traffic", bootstrapServers, perSecond, producer -> { }, this::sendNext);
    }

    /** The next usage request, to the current workspaces (their limits first, when the epoch has just moved). */
    private void sendNext(KafkaProducer<String, String> producer, long seq) {
        List<String> fresh = nextEpoch.getAndSet(null);
        if (fresh != null) {
            fresh.forEach(ws -> producer.send(limitRecord(ws)));
            current = fresh;
        }
        List<String> workspaces = current;
        Usage usage = new Usage(seq, workspaces.get(random.nextInt(workspaces.size())), 1 + random.nextInt(9));
        synchronized (sent) {
            sent.add(usage);
        }
        producer.send(new ProducerRecord<>(topics.usageRequests(), usage.workspace(), usage.json()));
        sentCount.incrementAndGet();
    }

    /** How many requests were sent so far; the next one sent has this {@code seq}. */
    public long sent() {
        return sentCount.get();
    }

    /** Stops streaming; everything sent is acknowledged by the broker when this returns. */
    public void stop() throws Exception {
        stream.stop();
    }

    /** Stops streaming if a failed test left it running, so that it sends nothing into the next test. */
    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }

    /**
     * Sends {@code count} retries of requests sent before (same ids and bodies, decided or not), then one last
     * request per workspace, and returns every committed decision once those last ones are decided: by then
     * everything before them in their partitions was decided too.
     */
    private List<Decided> retryAndDrain(int count, Duration timeout) {
        Set<String> last = new HashSet<>();
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrapServers)) {
            for (int i = 0; i < count; i++) {
                Usage retry = sent.get(random.nextInt(sent.size()));
                producer.send(new ProducerRecord<>(topics.usageRequests(), retry.workspace(), retry.json()));
            }
            for (String ws : limits.keySet()) {
                String id = "last-" + ws;
                last.add(id);
                producer.send(new ProducerRecord<>(topics.usageRequests(), ws, "{\"type\":\"record-usage\","
                        + "\"requestId\":\"" + id + "\",\"workspace\":\"" + ws + "\",\"feature\":\"ai.tokens\",\"amount\":1}"));
            }
        }
        TestClients.readDecisionsUntil(bootstrapServers, topics.usageDecisions(), timeout,
                read -> read.stream().map(d -> d.decision().requestId()).collect(Collectors.toSet()).containsAll(last));
        // Everything committed by now: a duplicate decision would be here too.
        return TestClients.readAllCommitted(bootstrapServers, topics.usageDecisions(), Duration.ofSeconds(60));
    }

    /**
     * After {@link #stop}: retries {@code retries} requests, drains, asserts every promise on the decisions
     * (the limits were reached: both accepts and rejections), and asserts the audit finds nothing.
     */
    public Figures checkEveryPromise(int retries, Duration timeout) {
        List<Decided> decided = retryAndDrain(retries, timeout);
        Outcomes outcomes = verify(decided);
        assertThat(outcomes.accepted()).as("accepted").isPositive();
        assertThat(outcomes.rejected()).as("rejected: the limits were reached").isPositive();
        Audit.Report report = new Audit(bootstrapServers, topics.prefix(), Duration.ofSeconds(60)).run();
        assertThat(report.violations()).as("audit").isEmpty();
        return new Figures(sent.size(), outcomes.accepted(), outcomes.rejected(), retries, decided.size(),
                report.violations().size(), report.summaries());
    }

    private record Outcomes(int accepted, int rejected) {
    }

    /** Asserts every promise on the decisions, in topic order per workspace, and returns what they showed. */
    private Outcomes verify(List<Decided> decided) {
        Map<String, Long> decisionsPerId = decided.stream()
                .collect(Collectors.groupingBy(d -> d.decision().requestId(), Collectors.counting()));
        Map<String, Long> duplicated = decisionsPerId.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicated).as("request ids with more than one decision").isEmpty();
        Map<String, Usage> byId = sent.stream().collect(Collectors.toMap(Usage::requestId, u -> u));
        // A set difference, not AssertJ's containsAll, which goes over the list once per id: a long run sends
        // tens of thousands.
        Set<String> undecided = new HashSet<>(byId.keySet());
        undecided.removeAll(decisionsPerId.keySet());
        assertThat(undecided).as("requests without a decision").isEmpty();

        Map<String, Long> accepted = new HashMap<>();
        Set<String> acceptedIds = new HashSet<>();
        int acceptedCount = 0;
        int rejectedCount = 0;
        for (Decided d : decided) {
            UsageDecision decision = d.decision();
            Usage usage = byId.get(decision.requestId());
            if (usage == null) {
                continue;
            }
            String ws = usage.workspace();
            long limit = limits.get(ws);
            long before = accepted.getOrDefault(ws, 0L);
            assertThat(decision.amount()).as("amount of %s", usage.requestId()).isEqualTo(usage.amount());
            if (decision.outcome() == Outcome.ACCEPTED) {
                acceptedCount++;
                acceptedIds.add(usage.requestId());
                long after = before + usage.amount();
                accepted.put(ws, after);
                assertThat(after).as("accepted usage of %s after %s", ws, usage.requestId()).isLessThanOrEqualTo(limit);
                assertThat(decision.used()).as("used reported by %s", usage.requestId()).isEqualTo(after);
            } else {
                rejectedCount++;
                assertThat(decision.code()).as("rejection of %s", usage.requestId())
                        .isEqualTo(DecisionCode.QUOTA_EXCEEDED);
                assertThat(decision.used()).as("used reported by %s", usage.requestId()).isEqualTo(before);
                assertThat(before + usage.amount()).as("%s did not fit", usage.requestId()).isGreaterThan(limit);
            }
        }
        assertThat(acceptedCount + rejectedCount).as("decisions of the streamed requests").isEqualTo(sent.size());
        for (Fault fault : faults) {
            // State kept changing through the fault: not only rejections that leave the store as it was.
            boolean acceptedAfter = decided.stream()
                    .map(d -> byId.get(d.decision().requestId()))
                    .filter(usage -> usage != null && usage.seq() >= fault.fromSeq()
                            && fault.workspaces().contains(usage.workspace()))
                    .anyMatch(usage -> acceptedIds.contains(usage.requestId()));
            assertThat(acceptedAfter).as("usage accepted after the fault at seq %d", fault.fromSeq()).isTrue();
        }
        return new Outcomes(acceptedCount, rejectedCount);
    }
}
