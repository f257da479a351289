package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TopicNames;
import dev.tally.launcher.observe.LocalTasks;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.DecisionWatch;
import dev.tally.launcher.testing.DomainTraffic;
import dev.tally.launcher.testing.EngineJvms;
import dev.tally.launcher.testing.KafkaExtension;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TestNames;
import dev.tally.launcher.testing.UsageTraffic;
import dev.tally.topology.EngineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults 1 and 3: engine instances, each in a JVM of its own with its own state dir, killed hard in a loop
 * and started again, or added and removed, while producers stream usage, claim, booking and composite
 * requests straight to Kafka. Afterwards every request has exactly one decision, no workspace passed its
 * hard limit, nothing was charged twice, usage was still accepted after every fault, every domain changed
 * state, and the audit finds no violation.
 *
 * <p>{@code ./mvnw verify} runs a short version. The long one (see the README's Reliability section) sets
 * {@code -Dtally.faults.rounds}, and {@code -Dtally.faults.standbys=0} measures recovery without standbys.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class EngineFaultsIT {

    private static final int ROUNDS = Integer.getInteger("tally.faults.rounds", 1);
    private static final int STANDBYS = Integer.getInteger("tally.faults.standbys", 1);
    private static final int PER_SECOND = Integer.getInteger("tally.faults.rate", 200);
    private static final int WORKSPACES = 10;
    private static final int RETRIES = 500;
    /**
     * Limits of 500 to 1,400: the first workspace passes its limit after about 1,000 requests (5 s), well within
     * the short version's traffic, so rejections are tested too.
     */
    private static final long LIMIT = 500;
    /** Claims, bookings and composites a second, next to the usage. */
    private static final int DOMAIN_PER_SECOND = Integer.getInteger("tally.faults.domain-rate", 20);
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration RESUMED = Duration.ofSeconds(120);
    /**
     * How soon after a hard kill every workspace must be decided again. Measured at 5 to 8 s (README,
     * Reliability); the bound leaves room for a loaded CI machine, and fails if recovery slides back towards
     * Kafka's default session timeout of 45 s.
     */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void instancesKilledHardInALoopUnderLoad(TestKafka kafka) throws Exception {
        String prefix = TestNames.prefix("kill-loop");
        TopicNames topics = new TopicNames(prefix);
        String bootstrap = kafka.bootstrapServers();
        UsageTraffic traffic = new UsageTraffic(bootstrap, topics, WORKSPACES, LIMIT);
        DomainTraffic domains = new DomainTraffic(bootstrap, topics);
        List<Duration> recoveries = new ArrayList<>();
        int tasksMoved = 0;
        int tasksMovedToStandbys = 0;

        // Given two engine instances with standby replicas, and producers streaming usage, claims, bookings
        // and composites at a steady rate
        // (the streams stop before the engines close, also when the test fails)
        try (EngineJvms engines = new EngineJvms(bootstrap, dir, prefix,
                Map.of(EngineConfig.STANDBY_REPLICAS, Integer.toString(STANDBYS))); traffic; domains) {
            engines.start("a");
            engines.start("b");
            try (DecisionWatch watch = traffic.startWatched(PER_SECOND, READY)) {
                domains.start(DOMAIN_PER_SECOND);
                // When, round after round, one instance is killed hard, the other takes over, and it comes back
                for (int round = 0; round < ROUNDS; round++) {
                    String victim = round % 2 == 0 ? "a" : "b";
                    String survivor = round % 2 == 0 ? "b" : "a";
                    // Both settled: running, and with standbys, the survivor keeping one of each task the victim
                    // runs (a standby placed a heartbeat after the first decisions flow would otherwise be missed).
                    // That wait is the standby check: it fails if the survivor keeps no such standby in time.
                    // Waited for before the fresh workspaces too, so that their limits are not spent by the kill.
                    awaitSettled(engines, victim, survivor);
                    // Fresh workspaces each round: usage is still being charged when the kill comes.
                    traffic.nextEpoch();
                    watch.awaitResumed(traffic.workspaces(), traffic.sent(), System.nanoTime(), RESUMED);
                    // (read again just before the kill: what the victim runs then)
                    Settled beforeKill = awaitSettled(engines, victim, survivor);
                    Set<String> victimActive = beforeKill.victimActive();
                    long killedAt = System.nanoTime();
                    long sentAtKill = traffic.sent();
                    engines.kill(victim);
                    // (marked once the kill is done: only usage sent after it counts as accepted after it)
                    traffic.markFault();
                    recoveries.add(watch.awaitResumed(traffic.workspaces(), sentAtKill, killedAt, RESUMED));
                    // The survivor runs every task the victim ran; with standbys, from the copies it kept warm
                    assertThat(victimActive).as("the tasks %s ran when it was killed", victim).isNotEmpty();
                    Await.until(RESUMED, () -> ids(engines.tasks(survivor).active()).containsAll(victimActive),
                            () -> survivor + " running " + victimActive + "; it runs " + engines.tasks(survivor));
                    tasksMoved += victimActive.size();
                    tasksMovedToStandbys += (int) victimActive.stream().filter(beforeKill.survivorStandby()::contains)
                            .count();
                    engines.start(victim);
                    // It is not ready while it rejoins and restores its stores, and says why, until it runs
                    List<String> notReady = engines.awaitReady(victim, READY);
                    assertThat(notReady).as("what %s's /health/ready answered before 200", victim)
                            .contains("engine is REBALANCING");
                    // The returning instance triggers a rebalance: the next kill waits until decisions flow after it.
                    engines.awaitRunning(victim);
                    watch.awaitResumed(traffic.workspaces(), traffic.sent(), System.nanoTime(), RESUMED);
                }
                traffic.stop();
                domains.stop();
            }

            // Then every promise held, retries included, in every domain, and the audit agrees
            DomainTraffic.Figures domainFigures = domains.checkEveryRequestDecided(READY);
            UsageTraffic.Figures figures = traffic.checkEveryPromise(RETRIES, READY);
            DomainTraffic.assertAuditCheckedEveryDomain(figures.auditSummaries());
            System.out.printf("EngineFaultsIT kill loop: %d instances, standbys %d, %d requests at %d/s, %d hard kills,"
                            + " %d decisions (%d accepted, %d rejected, %d retries that added no decision), violations %d;"
                            + " all workspaces decided again %s after each kill; %d tasks moved to the survivor, %d of"
                            + " them where it kept a standby; %s%n",
                    2, STANDBYS, figures.requests(), PER_SECOND, ROUNDS, figures.decisions(), figures.accepted(),
                    figures.rejected(), figures.retries(), figures.violations(), millis(recoveries), tasksMoved,
                    tasksMovedToStandbys, domainFigures);
            assertThat(recoveries).as("time until every workspace was decided again after each kill")
                    .allSatisfy(recovery -> assertThat(recovery).isLessThan(RECOVERY_BOUND));
            // (The counts of tasks moved are figures only: with standbys, the wait before each kill already
            // required a standby of each; without, Kafka Streams lists its warm-up replicas as standbys too.)

            // And an instance stops cleanly on SIGTERM, with exit code 0
            assertThat(engines.stop("a")).as("exit code after SIGTERM").isZero();
        }
    }

    @Test
    void instancesAddedAndRemovedUnderLoad(TestKafka kafka) throws Exception {
        String prefix = TestNames.prefix("rebalance");
        TopicNames topics = new TopicNames(prefix);
        String bootstrap = kafka.bootstrapServers();
        UsageTraffic traffic = new UsageTraffic(bootstrap, topics, WORKSPACES, LIMIT);
        DomainTraffic domains = new DomainTraffic(bootstrap, topics);
        List<Duration> pauses = new ArrayList<>();

        // Given one engine instance, and producers streaming usage, claims, bookings and composites at a steady rate
        // (the streams stop before the engines close, also when the test fails)
        try (EngineJvms engines = new EngineJvms(bootstrap, dir, prefix,
                Map.of(EngineConfig.STANDBY_REPLICAS, Integer.toString(STANDBYS))); traffic; domains) {
            engines.start("a");
            try (DecisionWatch watch = traffic.startWatched(PER_SECOND, READY)) {
                domains.start(DOMAIN_PER_SECOND);
                // When instances join and leave, each change a rebalance under load
                // (each round: the idle instance joins, then the one that ran alone leaves)
                List<Runnable> changes = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    String leaving = round % 2 == 0 ? "a" : "b";
                    String joining = round % 2 == 0 ? "b" : "a";
                    changes.add(() -> join(engines, joining));
                    changes.add(() -> assertThat(stop(engines, leaving)).as("%s's exit code", leaving).isZero());
                }
                for (Runnable change : changes) {
                    // Fresh workspaces each change: usage is still being charged while the partitions move.
                    traffic.nextEpoch();
                    watch.awaitResumed(traffic.workspaces(), traffic.sent(), System.nanoTime(), RESUMED);
                    long changedAt = System.nanoTime();
                    // (marked as the change begins: a join takes longer than fresh limits last, so usage must be
                    // charged while the partitions move, not only after)
                    traffic.markFault();
                    change.run();
                    // Decisions flow after the change: requests sent once it was done are decided for every workspace.
                    watch.awaitResumed(traffic.workspaces(), traffic.sent(), System.nanoTime(), RESUMED);
                    pauses.add(watch.longestGap(traffic.workspaces(), changedAt, System.nanoTime()));
                }
                traffic.stop();
                domains.stop();
            }

            // Then every promise held, retries included, in every domain, and the audit agrees
            DomainTraffic.Figures domainFigures = domains.checkEveryRequestDecided(READY);
            UsageTraffic.Figures figures = traffic.checkEveryPromise(RETRIES, READY);
            DomainTraffic.assertAuditCheckedEveryDomain(figures.auditSummaries());
            System.out.printf("EngineFaultsIT rebalances: %d requests at %d/s, %d instance changes (joins and leaves),"
                            + " %d decisions (%d accepted, %d rejected), violations %d;"
                            + " longest wait for a decision of one workspace during each change %s; %s%n",
                    figures.requests(), PER_SECOND, pauses.size(), figures.decisions(), figures.accepted(),
                    figures.rejected(), figures.violations(), millis(pauses), domainFigures);
        }
    }

    /** A new instance joins the group and the rebalance that makes room for it completes. */
    private static void join(EngineJvms engines, String name) {
        engines.start(name);
        engines.awaitRunning(name);
    }

    private static int stop(EngineJvms engines, String name) {
        try {
            return engines.stop(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping " + name, e);
        }
    }

    /** What the victim runs and the survivor keeps a standby of, read together; and whether both run. */
    private record Settled(Set<String> victimActive, Set<String> survivorStandby, boolean running) {

        static Settled read(EngineJvms engines, String victim, String survivor) {
            LocalTasks victimTasks = engines.tasks(victim);
            LocalTasks survivorTasks = engines.tasks(survivor);
            return new Settled(ids(victimTasks.active()), ids(survivorTasks.standby()),
                    "RUNNING".equals(victimTasks.state()) && "RUNNING".equals(survivorTasks.state()));
        }

        boolean done() {
            return running && (STANDBYS == 0 || survivorStandby.containsAll(victimActive));
        }
    }

    /** Waits until both run and, with standbys, the survivor keeps one of each task the victim runs. */
    private static Settled awaitSettled(EngineJvms engines, String victim, String survivor) {
        AtomicReference<Settled> last = new AtomicReference<>();
        Await.until(READY, () -> {
            last.set(Settled.read(engines, victim, survivor));
            return last.get().done();
        }, () -> "a standby on " + survivor + " of each task of " + victim + "; last read: " + last.get());
        return last.get();
    }

    private static Set<String> ids(List<LocalTasks.Task> tasks) {
        return tasks.stream().map(LocalTasks.Task::id).collect(Collectors.toCollection(HashSet::new));
    }

    private static List<Long> millis(List<Duration> durations) {
        return durations.stream().map(Duration::toMillis).toList();
    }
}
