package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TopicNames;
import dev.tally.launcher.broker.EmbeddedKafka;
import dev.tally.launcher.testing.DecisionWatch;
import dev.tally.launcher.testing.DomainTraffic;
import dev.tally.launcher.testing.EngineJvms;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TestNames;
import dev.tally.launcher.testing.UsageTraffic;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 2: the broker is stopped and started again on the same data dir and ports while a producer streams
 * usage requests and an engine (a JVM of its own) decides them. The producer and the engine reconnect by
 * themselves; afterwards every request has exactly one decision, no limit was passed, and the audit is
 * clean. The broker is this test's own, not the one the other tests share.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

    private static final int ROUNDS = Integer.getInteger("tally.faults.rounds", 1);
    private static final int PER_SECOND = Integer.getInteger("tally.faults.rate", 200);
    private static final int WORKSPACES = 10;
    /** Small: the restart is quick, and the limits must be reached while it happens. */
    private static final long LIMIT = 200;
    /** Claims, bookings and composites a second, next to the usage. */
    private static final int DOMAIN_PER_SECOND = Integer.getInteger("tally.faults.domain-rate", 20);
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("tally.faults.broker-down-seconds", 5));

    @TempDir
    Path dir;

    private EmbeddedKafka broker;
    private Path data;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        if (data != null) {
            TestKafka.deleteRecursively(data);
        }
    }

    /**
     * A free port below Linux's ephemeral range (32768-60999): while the broker is down, clients reconnecting
     * get local ports from that range, and one could take the port the broker must bind again.
     */
    private static int freePortOutsideTheEphemeralRange(int avoid) {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + random.nextInt(10_000);
            if (port == avoid) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 30000");
    }

    @Test
    void everyRequestIsDecidedOnceAcrossABrokerRestart() throws Exception {
        // Under target/, like the shared broker's; deleted after the test.
        data = Path.of("target", "it-kafka-restart-" + UUID.randomUUID()).toAbsolutePath();
        int kafkaPort = freePortOutsideTheEphemeralRange(0);
        broker = EmbeddedKafka.start(data, kafkaPort, freePortOutsideTheEphemeralRange(kafkaPort));
        String bootstrap = broker.bootstrapServers();
        String prefix = TestNames.prefix("broker-restart");
        TopicNames topics = new TopicNames(prefix);
        UsageTraffic traffic = new UsageTraffic(bootstrap, topics, WORKSPACES, LIMIT);
        DomainTraffic domains = new DomainTraffic(bootstrap, topics);
        List<Duration> downtimes = new ArrayList<>();
        List<Duration> recoveries = new ArrayList<>();

        // Given an engine, and producers streaming usage, claims, bookings and composites at a steady rate
        // (the streams stop before the engine closes, also when the test fails)
        try (EngineJvms engines = new EngineJvms(bootstrap, dir, prefix, Map.of()); traffic; domains) {
            engines.start("a");
            try (DecisionWatch watch = traffic.startWatched(PER_SECOND, READY)) {
                domains.start(DOMAIN_PER_SECOND);
                // When the broker is stopped under load and started again on the same dir and ports
                for (int round = 0; round < ROUNDS; round++) {
                    // (fresh workspaces, so usage is still charged across the restart; after two seconds' worth of
                    // their requests were decided: the broker goes down under load)
                    traffic.nextEpoch();
                    watch.awaitResumed(traffic.workspaces(), traffic.sent() + 2L * PER_SECOND, System.nanoTime(), READY);
                    long stoppedAt = System.nanoTime();
                    broker.close();
                    // (marked once the broker is down: only usage sent after that counts as accepted after it)
                    traffic.markFault();
                    // The outage itself, not a wait for Kafka: clients keep sending into a broker that is gone.
                    LockSupport.parkNanos(OUTAGE.toNanos());
                    broker = EmbeddedKafka.start(data, broker.kafkaPort(), broker.controllerPort());
                    long restartedAt = System.nanoTime();
                    downtimes.add(Duration.ofNanos(restartedAt - stoppedAt));
                    recoveries.add(watch.awaitResumed(traffic.workspaces(), traffic.sent(), restartedAt, READY));
                }
                traffic.stop();
                domains.stop();
            }

            // Then every promise held, retries included, in every domain, and the audit agrees
            DomainTraffic.Figures domainFigures = domains.checkEveryRequestDecided(READY);
            UsageTraffic.Figures figures = traffic.checkEveryPromise(500, READY);
            DomainTraffic.assertAuditCheckedEveryDomain(figures.auditSummaries());
            assertThat(engines.isRunning("a")).isTrue();
            System.out.printf("BrokerRestartIT: %d requests at %d/s, %d broker restarts (down %s ms), %d decisions"
                            + " (%d accepted, %d rejected, %d retries that added no decision), violations %d;"
                            + " all workspaces decided again %s ms after the broker was back; %s%n",
                    figures.requests(), PER_SECOND, ROUNDS, millis(downtimes), figures.decisions(),
                    figures.accepted(), figures.rejected(), figures.retries(), figures.violations(),
                    millis(recoveries), domainFigures);
        }
    }

    private static List<Long> millis(List<Duration> durations) {
        return durations.stream().map(Duration::toMillis).toList();
    }
}
