package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.contract.TopicNames;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.claims.ClaimScopes;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageRequest;
import dev.tally.topology.TallyTopology;
import dev.tally.topology.TopologySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The audit's model of the effective-limit rule against the engine itself: random interleavings of direct
 * limits, base and add-on packages (metered, unlimited, flags), cancels, boosts that expire, usage,
 * reservations, commits, releases and time passing (across a day and a month), in the workspace and a
 * namespace, decided by the engine's whole topology. The audit then reads the decisions the engine wrote and
 * must find nothing wrong with any of them: two implementations of the README's rule, written apart, agree on
 * every decision. (Each catches the other's mistakes; the audit's unit tests show it does report wrong ones.)
 */
class UsageModelAgainstEngineProperties {

    /** Half an hour before a month ends: many runs cross the day and the month. */
    private static final Instant START = Instant.parse("2026-10-31T23:30:00Z");
    private static final String WS = "acme";
    private static final String TOKENS = "ai.tokens";
    private static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Step permits Limit, Provision, Cancel, Boost, Use, Reserve_, Commit, Release, Wait {
    }

    record Limit(String namespace, long limit, Period period, Enforcement enforcement) implements Step {
    }

    /** A package whose code starts with {@code base} is a base package. */
    record Provision(String namespace, String code, FeatureGrant grant) implements Step {
    }

    record Cancel(String namespace, String code) implements Step {
    }

    /** {@code minutesToLive} null: a boost that never expires. */
    record Boost(String namespace, long amount, Integer minutesToLive) implements Step {
    }

    record Use(String namespace, long amount) implements Step {
    }

    record Reserve_(String namespace, long amount, long ttlSeconds) implements Step {
    }

    /** Of the {@code which}-th reservation made so far (modulo their number). */
    record Commit(int which, long amount) implements Step {
    }

    record Release(int which) implements Step {
    }

    record Wait(long seconds) implements Step {
    }

    @Property(tries = 100)
    void theAuditFindsNothingWrongWithAnyDecisionTheEngineMakes(@ForAll("scenarios") List<Step> steps)
            throws IOException {
        Path stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "audit-model");
        try (TopologyTestDriver driver = driver(stateDir)) {
            TopicNames topics = TopicNames.withDefaultPrefix();
            TestInputTopic<String, byte[]> requests = driver.createInputTopic(topics.usageRequests(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> decisions = driver.createOutputTopic(topics.usageDecisions(),
                    new StringDeserializer(), new ByteArrayDeserializer());

            play(steps, driver, requests);

            UsageByEffectiveLimits audit = new UsageByEffectiveLimits();
            long offset = 0;
            for (TestRecord<String, byte[]> decision : decisions.readRecordsToList()) {
                audit.accept(new LoggedRecord(topics.usageDecisions(), 0, offset++, decision.key(),
                        decision.timestamp(), Map.of(), JSON.readTree(decision.value())));
            }
            String summary = audit.summary();
            assertThat(audit.violations()).as(summary).isEmpty();
            // Only the one case the model cannot follow by design may take the workspace out of it
            boolean left = !summary.contains("checked, 0 workspaces left");
            assertThat(!left || summary.contains("a direct limit set under an unlimited add-on")).as(summary).isTrue();
            Statistics.label("workspace left the model").collect(left);
            // A model that skipped every record would find nothing wrong either: most scenarios must be checked
            Statistics.label("usage records checked").collect(!summary.contains(": 0 usage records"))
                    .coverage(coverage -> coverage.check(true).percentage(p -> p > 50));
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static void play(List<Step> steps, TopologyTestDriver driver, TestInputTopic<String, byte[]> requests) {
        Instant at = START;
        List<String> reservations = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step instanceof Wait wait) {
                // Record time and the engine's clock move together, so reservations run out on the way.
                at = at.plusSeconds(wait.seconds());
                driver.advanceWallClockTime(Duration.ofSeconds(wait.seconds()));
                continue;
            }
            UsageRequest request = request(step, "r" + i, at, reservations);
            if (request != null) {
                requests.pipeInput(new TestRecord<>(request.entityKey(), REQUESTS.write(request), at));
            }
        }
    }

    /** The request a step sends; null for a commit or release before any reservation. */
    private static UsageRequest request(Step step, String id, Instant at, List<String> reservations) {
        if (step instanceof Limit l) {
            return new SetLimit(id, WS, l.namespace(), TOKENS, l.limit(), l.period(), l.enforcement());
        } else if (step instanceof Provision p) {
            return new ProvisionPackage(id, WS, p.namespace(), p.code(), p.code().startsWith("base"),
                    Map.of(TOKENS, p.grant()));
        } else if (step instanceof Cancel c) {
            return new CancelPackage(id, WS, c.namespace(), c.code());
        } else if (step instanceof Boost b) {
            return new AddBoost(id, WS, b.namespace(), TOKENS, b.amount(), "boost-" + id,
                    b.minutesToLive() == null ? null : at.plus(Duration.ofMinutes(b.minutesToLive())));
        } else if (step instanceof Use u) {
            return new RecordUsage(id, WS, u.namespace(), TOKENS, u.amount(), null);
        } else if (step instanceof Reserve_ r) {
            reservations.add(id);
            return new Reserve(id, WS, r.namespace(), TOKENS, r.amount(), r.ttlSeconds());
        } else if (reservations.isEmpty()) {
            return null;
        } else if (step instanceof Commit c) {
            return new CommitReservation(id, WS, reservations.get(c.which() % reservations.size()), c.amount());
        }
        Release r = (Release) step;
        return new ReleaseReservation(id, WS, reservations.get(r.which() % reservations.size()));
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<String> namespace = Arbitraries.of("eu").injectNull(0.5);
        Arbitrary<Long> small = Arbitraries.longs().between(0, 12);
        Arbitrary<Long> amount = Arbitraries.longs().between(1, 6);
        Arbitrary<Period> period = Arbitraries.of(Period.DAY, Period.MONTH, Period.LIFETIME);
        Arbitrary<Enforcement> enforcement = Arbitraries.of(Enforcement.HARD, Enforcement.HARD, Enforcement.SOFT);
        Arbitrary<FeatureGrant> grant = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(small, period, enforcement).as(FeatureGrant::metered)),
                Tuple.of(1, period.map(FeatureGrant::unlimitedPer)),
                Tuple.of(2, Arbitraries.of(true, false).map(FeatureGrant::flag)));
        Arbitrary<String> code = Arbitraries.of("base-a", "base-b", "addon-x", "addon-y");
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(2, Combinators.combine(namespace, small, period, enforcement).as(Limit::new)),
                Tuple.of(3, Combinators.combine(namespace, code, grant).as(Provision::new)),
                Tuple.of(1, Combinators.combine(namespace, code).as(Cancel::new)),
                Tuple.of(2, Combinators.combine(namespace, amount,
                        Arbitraries.integers().between(1, 90).injectNull(0.4)).as(Boost::new)),
                Tuple.of(8, Combinators.combine(namespace, amount).as(Use::new)),
                Tuple.of(3, Combinators.combine(namespace, amount,
                        Arbitraries.longs().between(30, 1800)).as(Reserve_::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 20),
                        Arbitraries.longs().between(0, 8)).as(Commit::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 20).map(Release::new)),
                Tuple.of(3, Arbitraries.longs().between(1, 1200).map(Wait::new)));
        return step.list().ofMinSize(5).ofMaxSize(60);
    }

    private static TopologyTestDriver driver(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "audit-model");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        TopologySettings settings = new TopologySettings(TopicNames.withDefaultPrefix(), 1,
                Duration.ofDays(1).toMillis(), ClaimScopes.parse(List.of("tenant-slug=slug")), 10_000);
        return new TopologyTestDriver(TallyTopology.build(settings), props, START);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
