package dev.tally.launcher.bench;

import dev.tally.contract.CommonSettings;
import dev.tally.contract.TopicNames;
import dev.tally.contract.TopicProvisioner;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.schemas.claims.ClaimRequest;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageRequest;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Decisions per second when the engine drains a backlog: pre-load usage requests over many workspaces (or
 * reservations and their commits, claim requests over many values, or bookings over many resources), start a fresh engine (exactly-once), and time it from RUNNING until
 * its committed input offsets reach the end of the requests topic. Repeated; the median is the figure to
 * quote.
 */
@Command(name = "throughput", description = "Decisions/s draining pre-loaded usage, claim or booking requests (exactly-once).",
        mixinStandardHelpOptions = true)
public final class ThroughputBench implements Callable<Integer> {

    private static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);
    private static final RequestCodec<ClaimRequest> CLAIMS = RequestCodec.of(ClaimRequest.class);
    private static final RequestCodec<BookingRequest> BOOKINGS = RequestCodec.of(BookingRequest.class);

    /** Which domain's requests to pre-load. */
    enum Domain { usage, reservations, claims, bookings }

    @Option(names = "--domain", defaultValue = "usage",
            description = "usage, reservations (reserve then commit or release), claims or bookings.")
    Domain domain;
    @Option(names = "--requests", defaultValue = "1000000", description = "Requests per run.")
    long requests;
    @Option(names = "--workspaces", defaultValue = "10000",
            description = "Distinct workspaces (usage, reservations).")
    int workspaces;
    @Option(names = "--claim-values", defaultValue = "500000",
            description = "Distinct slugs (claims): requests past this many find an existing claim.")
    int claimValues;
    @Option(names = "--resources", defaultValue = "1000", description = "Distinct resources (bookings).")
    int resources;
    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of the request topics.")
    int partitions;
    @Option(names = "--runs", defaultValue = "3", description = "Runs; the median is reported.")
    int runs;
    @Option(names = "--bootstrap-servers", description = "Use this cluster instead of starting a broker process.")
    String bootstrapServers;
    @Mixin
    EngineOptions engineOptions;
    @Option(names = "--transaction-version", paramLabel = "N",
            description = "Set the cluster's transaction.version feature first (1 or 2) to compare protocols.")
    Short transactionVersion;

    @Override
    public Integer call() throws Exception {
        Path run = engineOptions.newRunDir("throughput");
        BrokerProcess broker = bootstrapServers == null ? BrokerProcess.start(run.resolve("kafka"), "1g") : null;
        String bootstrap = broker == null ? bootstrapServers : broker.bootstrapServers();
        try {
            if (transactionVersion != null) {
                setTransactionVersion(bootstrap, transactionVersion);
            }
            double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                rates[i] = runOnce(bootstrap, run, i);
                System.out.printf("run %d: %,.0f decisions/s%n", i + 1, rates[i]);
            }
            System.out.printf("throughput: median %,.0f decisions/s over %d runs of %,d %s requests, %d partitions,"
                            + " %,d %s, exactly_once_v2, commit %d ms%n",
                    Percentiles.median(rates), runs, requests, domain, partitions,
                    switch (domain) {
                        case usage, reservations -> workspaces;
                        case claims -> claimValues;
                        case bookings -> resources;
                    },
                    switch (domain) {
                        case usage, reservations -> "workspaces";
                        case claims -> "distinct slugs";
                        case bookings -> "resources";
                    }, engineOptions.commitIntervalMs);
            if (!engineOptions.extraSettings.isEmpty()) {
                System.out.println("engine settings: " + engineOptions.extraSettings);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        return 0;
    }

    private double runOnce(String bootstrap, Path dir, int run) throws Exception {
        String prefix = "bench" + System.nanoTime() + ".";
        TopicNames topics = new TopicNames(prefix);
        Map<String, Object> admin = Map.of("bootstrap.servers", bootstrap);
        TopicProvisioner.ensure(admin, topics.keyedTopics(), partitions, List.of(topics.replies(),
                topics.deadLetter()), 1, (short) 1);
        long total = switch (domain) {
            case usage -> preload(bootstrap, topics);
            case reservations -> preloadReservations(bootstrap, topics);
            case claims -> preloadClaims(bootstrap, topics);
            case bookings -> preloadBookings(bootstrap, topics);
        };
        String requestTopic = switch (domain) {
            case usage, reservations -> topics.usageRequests();
            case claims -> topics.claimRequests();
            case bookings -> topics.bookingRequests();
        };

        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonSettings.TOPIC_PREFIX, prefix);
        settings.put(EngineConfig.APPLICATION_ID, prefix + "engine");
        settings.putAll(engineOptions.settings(bootstrap, dir.resolve("state-" + run)));
        try (TallyEngine engine = TallyEngine.start(new EngineConfig(settings));
             Admin client = Admin.create(admin)) {
            Waits.until(Duration.ofMinutes(2), "engine running", engine::isRunning);
            long startNs = System.nanoTime();
            Waits.until(Duration.ofMinutes(15), "engine drained the backlog",
                    () -> committed(client, prefix + "engine", requestTopic) >= total);
            double rate = total / ((System.nanoTime() - startNs) / 1e9);
            engine.close();
            // A run's gigabytes of topics would otherwise weigh on the broker in every later run.
            deleteTopicsOf(client, prefix);
            return rate;
        }
    }

    private static void deleteTopicsOf(Admin admin, String prefix) throws Exception {
        List<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList();
        admin.deleteTopics(topics).all().get();
    }

    /** A limit for every workspace, high enough that every request is accepted. */
    private void sendLimits(Preloader producer, TopicNames topics) {
        for (int w = 0; w < workspaces; w++) {
            SetLimit limit = new SetLimit("limit-" + w, workspace(w), null, "ai.tokens", 1_000_000_000_000L,
                    Period.MONTH, Enforcement.HARD);
            producer.send(topics.usageRequests(), limit.workspace(), REQUESTS.write(limit));
        }
    }

    /** Limits for every workspace, then the usage. */
    private long preload(String bootstrap, TopicNames topics) throws Exception {
        long startNs = System.nanoTime();
        long sent;
        try (Preloader producer = new Preloader(bootstrap)) {
            sendLimits(producer, topics);
            for (long i = 0; i < requests; i++) {
                RecordUsage usage = new RecordUsage("u-" + i, workspace((int) (i % workspaces)), null, "ai.tokens",
                        1 + (i % 100), null);
                producer.send(topics.usageRequests(), usage.workspace(), REQUESTS.write(usage));
            }
            sent = producer.sent();
        }
        System.out.printf("pre-loaded %,d requests in %.1f s%n", sent, (System.nanoTime() - startNs) / 1e9);
        return sent;
    }

    /**
     * A limit per workspace, then {@code requests} records of reservations ended by calls: each reserve is
     * followed, once every workspace has had one more, by its commit (three in four: a little less, as much
     * or a little more than reserved) or its release, so about a workspace's worth of reservations is live
     * at any time. The time to live (an hour) outlasts the run: nothing expires.
     */
    private long preloadReservations(String bootstrap, TopicNames topics) throws Exception {
        long startNs = System.nanoTime();
        long sent;
        try (Preloader producer = new Preloader(bootstrap)) {
            sendLimits(producer, topics);
            long reservations = requests / 2;
            for (long i = 0; i < reservations + workspaces; i++) {
                if (i < reservations) {
                    Reserve reserve = new Reserve("r-" + i, workspace((int) (i % workspaces)), null, "ai.tokens",
                            10 + (i % 100), 3600L);
                    producer.send(topics.usageRequests(), reserve.workspace(), REQUESTS.write(reserve));
                }
                long ended = i - workspaces;
                if (ended >= 0 && ended < reservations) {
                    String ws = workspace((int) (ended % workspaces));
                    UsageRequest end = ended % 4 == 3
                            ? new ReleaseReservation("x-" + ended, ws, "r-" + ended)
                            : new CommitReservation("c-" + ended, ws, "r-" + ended, 9 + (ended % 100) + ended % 3);
                    producer.send(topics.usageRequests(), ws, REQUESTS.write(end));
                }
            }
            sent = producer.sent();
        }
        System.out.printf("pre-loaded %,d requests in %.1f s%n", sent, (System.nanoTime() - startNs) / 1e9);
        return sent;
    }

    /**
     * Get-or-create claims of slugs, as a signup flow sends them: the first {@code claimValues} create, the
     * rest find an existing claim (a retried or duplicate signup). Both read and write the claim's key.
     */
    private long preloadClaims(String bootstrap, TopicNames topics) throws Exception {
        long startNs = System.nanoTime();
        try (Preloader producer = new Preloader(bootstrap)) {
            for (long i = 0; i < requests; i++) {
                GetOrCreateClaim claim = new GetOrCreateClaim("c-" + i, "tenant-slug", "slug-" + (i % claimValues),
                        "owner-" + i, null);
                producer.send(topics.claimRequests(), claim.entityKey(), CLAIMS.write(claim));
            }
        }
        System.out.printf("pre-loaded %,d claim requests in %.1f s%n", requests, (System.nanoTime() - startNs) / 1e9);
        return requests;
    }

    /**
     * One hourly resource of capacity 1,000,000 per {@code resources}, then bookings of 1 to 3 hours over a
     * month, so that every booking is accepted and touches one to four slots.
     */
    private long preloadBookings(String bootstrap, TopicNames topics) throws Exception {
        long startNs = System.nanoTime();
        LocalDateTime monthStart = LocalDateTime.parse("2026-10-01T00:00");
        try (Preloader producer = new Preloader(bootstrap)) {
            for (int r = 0; r < resources; r++) {
                DefineResource define = new DefineResource("define-" + r, "res-" + r, 1_000_000L, SlotSize.HOUR,
                        "Europe/Paris");
                producer.send(topics.bookingRequests(), define.resource(), BOOKINGS.write(define));
            }
            for (long i = 0; i < requests; i++) {
                LocalDateTime from = monthStart.plusHours(i % (30 * 24));
                Book book = new Book("b-" + i, "res-" + (i % resources), null, null, from.toString(),
                        from.plusHours(1 + i % 3).toString(), 1L, "user-" + (i % 97));
                producer.send(topics.bookingRequests(), book.resource(), BOOKINGS.write(book));
            }
        }
        System.out.printf("pre-loaded %,d booking requests in %.1f s%n", requests + resources,
                (System.nanoTime() - startNs) / 1e9);
        return requests + resources;
    }

    private static void setTransactionVersion(String bootstrap, short version) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            FeatureUpdate update = new FeatureUpdate(version, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE);
            admin.updateFeatures(Map.of("transaction.version", update), new UpdateFeaturesOptions()).all().get();
        }
        System.out.printf("cluster transaction.version set to %d%n", version);
    }

    private static String workspace(int i) {
        return "ws-" + i;
    }

    /** Input records the engine has committed: the requests were written without transactions, so offsets count records. */
    private static long committed(Admin admin, String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }
}
