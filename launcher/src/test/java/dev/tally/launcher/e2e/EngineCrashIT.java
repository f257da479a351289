package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TopicNames;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.KafkaExtension;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestClients.Decided;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TallyProcess;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.usage.UsageDecision;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine runs in its own JVM ({@code tally engine}) and is killed with SIGKILL while a producer
 * streams usage requests straight to Kafka; a new engine JVM takes over. Exactly-once must hold across
 * the crash: every request has exactly one decision, retries of decided requests add none, and no
 * workspace ever gets more than its limit, nor is any accepted amount charged twice.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class EngineCrashIT {

    private static final int REQUESTS = 5_000;
    private static final int WORKSPACES = 10;
    private static final int KILL_AFTER_DECISIONS = 1_000;
    private static final int RETRIES = 500;
    private static final Duration ENGINE_READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ALL_DECIDED_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private final List<TallyProcess> engines = new ArrayList<>();

    @AfterEach
    void killLeftoverEngines() {
        engines.forEach(TallyProcess::close);
    }

    @Test
    void everyRequestIsDecidedExactlyOnceAndNoLimitIsPassedAcrossAHardKill(TestKafka kafka) throws Exception {
        String prefix = TestNames.prefix("crash");
        TopicNames topics = new TopicNames(prefix);
        Path config = writeEngineConfig(prefix);
        String bootstrap = kafka.bootstrapServers();

        // Given an engine in its own JVM, and a limit for each workspace
        TallyProcess first = startEngine(bootstrap, config, "first");
        Map<String, Long> limits = new HashMap<>();
        Set<String> limitIds = new HashSet<>();
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrap)) {
            for (int w = 0; w < WORKSPACES; w++) {
                String ws = "ws-" + w;
                long limit = 1_000 + 100L * w;
                limits.put(ws, limit);
                limitIds.add("limit-" + ws);
                producer.send(new ProducerRecord<>(topics.usageRequests(), ws, "{\"type\":\"set-limit\","
                        + "\"requestId\":\"limit-" + ws + "\",\"workspace\":\"" + ws + "\",\"feature\":\"ai.tokens\","
                        + "\"limit\":" + limit + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}"));
            }
        }
        TestClients.readDecisionsUntil(bootstrap, topics.usageDecisions(), ENGINE_READY_TIMEOUT,
                read -> ids(read).containsAll(limitIds));

        // When a producer streams 5,000 usage requests (several workspaces, amounts 1-9) ...
        List<Usage> usages = usages();
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> stream(bootstrap, topics, usages, sent));

        // ... and the engine is killed hard once it has decided some of them
        int decidedAtKill = awaitDecisions(bootstrap, topics, KILL_AFTER_DECISIONS + WORKSPACES);
        first.kill();
        int sentAtKill = sent.get();

        // ... and a new engine JVM takes over on the same state dir
        TallyProcess second = startEngine(bootstrap, config, "second");
        streaming.get(120, TimeUnit.SECONDS);

        // ... and clients retry 500 decided or undecided requests with the same ids and bodies
        Random random = new Random(7);
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrap)) {
            for (int i = 0; i < RETRIES; i++) {
                Usage retry = usages.get(random.nextInt(usages.size()));
                producer.send(new ProducerRecord<>(topics.usageRequests(), retry.workspace(), retry.json()));
            }
            // A last request per workspace: its decision means all before it in the partition were decided.
            for (int w = 0; w < WORKSPACES; w++) {
                Usage sentinel = new Usage("sentinel-ws-" + w, "ws-" + w, 1);
                producer.send(new ProducerRecord<>(topics.usageRequests(), sentinel.workspace(), sentinel.json()));
            }
        }
        Set<String> sentinels = new HashSet<>();
        for (int w = 0; w < WORKSPACES; w++) {
            sentinels.add("sentinel-ws-" + w);
        }
        List<Decided> decided = TestClients.readDecisionsUntil(bootstrap, topics.usageDecisions(),
                ALL_DECIDED_TIMEOUT, read -> ids(read).containsAll(sentinels));
        // Everything committed by now: any duplicate decision would be here too.
        decided = TestClients.readAllCommitted(bootstrap, topics.usageDecisions(), Duration.ofSeconds(60));

        // Then the kill really happened mid-stream
        assertThat(decidedAtKill).as("decisions when the engine was killed").isLessThan(REQUESTS + WORKSPACES);
        assertThat(sentAtKill).as("requests sent when the engine was killed").isPositive();

        // And every request id has exactly one decision, retries included
        Map<String, Long> decisionsPerId = decided.stream()
                .collect(Collectors.groupingBy(d -> d.decision().requestId(), Collectors.counting()));
        Map<String, Long> duplicated = decisionsPerId.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicated).as("request ids with more than one decision").isEmpty();
        Set<String> usageIds = usages.stream().map(Usage::requestId).collect(Collectors.toSet());
        assertThat(decisionsPerId.keySet()).containsAll(usageIds);

        // And per workspace, in decision order: accepted amounts never pass the limit, each is charged once,
        // and a rejection happens only when the amount really did not fit
        Map<String, Usage> byId = usages.stream().collect(Collectors.toMap(Usage::requestId, u -> u));
        Map<String, Long> accepted = new HashMap<>();
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
        assertThat(acceptedCount).as("accepted").isPositive();
        assertThat(rejectedCount).as("rejected").isPositive();
        assertThat(acceptedCount + rejectedCount).isEqualTo(REQUESTS);

        // And the surviving engine stops cleanly on SIGTERM, with exit code 0
        assertThat(second.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
    }

    private record Usage(String requestId, String workspace, long amount) {
        String json() {
            return "{\"type\":\"record-usage\",\"requestId\":\"" + requestId + "\",\"workspace\":\"" + workspace
                    + "\",\"feature\":\"ai.tokens\",\"amount\":" + amount + "}";
        }
    }

    private static List<Usage> usages() {
        Random random = new Random(42);
        List<Usage> usages = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            usages.add(new Usage("u-" + i, "ws-" + random.nextInt(WORKSPACES), 1 + random.nextInt(9)));
        }
        return usages;
    }

    /** About 2,000 requests a second, so that the stream is still running when the engine dies. */
    private static void stream(String bootstrap, TopicNames topics, List<Usage> usages, AtomicInteger sent) {
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrap)) {
            for (Usage usage : usages) {
                producer.send(new ProducerRecord<>(topics.usageRequests(), usage.workspace(), usage.json()));
                if (sent.incrementAndGet() % 20 == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
    }

    private static int awaitDecisions(String bootstrap, TopicNames topics, int count) {
        int seen = 0;
        try (KafkaConsumer<String, byte[]> consumer = TestClients.committedReader(bootstrap, topics.usageDecisions())) {
            long deadlineNs = System.nanoTime() + ENGINE_READY_TIMEOUT.toNanos();
            while (seen < count) {
                assertThat(System.nanoTime()).as("%s decisions within %s", count, ENGINE_READY_TIMEOUT)
                        .isLessThan(deadlineNs);
                for (ConsumerRecord<String, byte[]> ignored : consumer.poll(Duration.ofMillis(50))) {
                    seen++;
                }
            }
        }
        return seen;
    }

    private static Set<String> ids(List<Decided> decided) {
        return decided.stream().map(d -> d.decision().requestId()).collect(Collectors.toSet());
    }

    private Path writeEngineConfig(String prefix) throws IOException {
        Properties props = new Properties();
        props.setProperty("topic.prefix", prefix);
        props.setProperty("engine.application.id", prefix + "engine");
        props.setProperty("engine.state.dir", dir.resolve("engine-state").toString());
        // The killed engine's member leaves the group only when its session times out: keep that short.
        props.setProperty("kafka.consumer.session.timeout.ms", "6000");
        props.setProperty("kafka.consumer.heartbeat.interval.ms", "1000");
        Path file = dir.resolve("engine.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "EngineCrashIT");
        }
        return file;
    }

    /** {@code tally engine} in a JVM of its own; output under target/it-logs. */
    private TallyProcess startEngine(String bootstrap, Path config, String name) {
        TallyProcess engine = TallyProcess.start("engine-crash-" + name, Map.of(),
                "engine", "--bootstrap-servers", bootstrap, "--config", config.toString());
        engines.add(engine);
        engine.awaitOutput(Duration.ofSeconds(60), "tally engine started");
        return engine;
    }
}
