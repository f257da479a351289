package dev.tally.launcher.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.lang.reflect.InvocationTargetException;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running in this JVM: the
 * same server {@code kafka.Kafka} runs as a process, with the settings a single node needs. Its log dirs
 * live under the given data dir and are formatted only the first time, so topics, committed offsets and
 * transactions survive a restart on the same dir.
 *
 * <p>Listens on 127.0.0.1 only: there is no authentication.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Server server;
    private final int kafkaPort;
    private final int controllerPort;
    private final Path logDir;
    private boolean closed;

    private EmbeddedKafka(Server server, int kafkaPort, int controllerPort, Path logDir) {
        this.server = server;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.logDir = logDir;
    }

    /** Starts a broker with default settings; see {@link #start(Path, int, int, Map)}. */
    public static EmbeddedKafka start(Path dataDir, int kafkaPort, int controllerPort) {
        return start(dataDir, kafkaPort, controllerPort, Map.of());
    }

    /**
     * Formats the storage under {@code dataDir} if it is new, starts the broker and returns once it
     * answers a metadata request.
     *
     * @param kafkaPort      the client port; 0 picks a free one
     * @param controllerPort the KRaft controller port; 0 picks a free one
     * @param extraSettings  broker settings that replace the defaults (tests use it, e.g. for retention)
     */
    public static EmbeddedKafka start(Path dataDir, int kafkaPort, int controllerPort,
                                      Map<String, String> extraSettings) {
        long startedNs = System.nanoTime();
        int clientPort = kafkaPort == 0 ? freePort() : kafkaPort;
        int quorumPort = controllerPort == 0 ? freePort() : controllerPort;
        if (clientPort == quorumPort) {
            throw new IllegalArgumentException("kafka port and controller port must differ: " + clientPort);
        }
        Path brokerDir = dataDir.toAbsolutePath().normalize();
        Path logDir = brokerDir.resolve("logs");
        Properties settings = settings(logDir, clientPort, quorumPort, extraSettings);
        try {
            Files.createDirectories(logDir);
            Path configFile = brokerDir.resolve("server.properties");
            writeConfig(settings, configFile);
            formatIfNew(logDir, configFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker dir " + brokerDir, e);
        }

        Server server = newServer(settings);
        EmbeddedKafka kafka = new EmbeddedKafka(server, clientPort, quorumPort, logDir);
        try {
            server.startup();
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        log.info("Kafka broker ready at {} in {} ms (data in {})", kafka.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs), brokerDir);
        return kafka;
    }

    public String bootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** Clean shutdown: logs are flushed and the next start needs no recovery. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startedNs = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs));
    }

    static Properties settings(Path logDir, int clientPort, int quorumPort, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("process.roles", "broker,controller");
        s.put("node.id", Integer.toString(NODE_ID));
        s.put("controller.quorum.bootstrap.servers", HOST + ":" + quorumPort);
        s.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + quorumPort);
        s.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":"
                + quorumPort);
        s.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        s.put("controller.listener.names", "CONTROLLER");
        s.put("inter.broker.listener.name", "PLAINTEXT");
        s.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica and needs one in sync.
        s.put("offsets.topic.replication.factor", "1");
        s.put("transaction.state.log.replication.factor", "1");
        s.put("transaction.state.log.min.isr", "1");
        s.put("share.coordinator.state.topic.replication.factor", "1");
        s.put("share.coordinator.state.topic.min.isr", "1");
        s.put("default.replication.factor", "1");
        s.put("min.insync.replicas", "1");
        // Fewer partitions of internal topics: a group or a transaction is ready sooner on a cold broker.
        s.put("offsets.topic.num.partitions", "6");
        s.put("transaction.state.log.num.partitions", "6");
        s.put("share.coordinator.state.topic.num.partitions", "3");
        // Nobody waits for more members to join: a single app on a dev machine.
        s.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created by tally (with the partitions it needs), never by a typo in a producer.
        // A transaction left open by an engine killed mid-commit holds back every read_committed reader of
        // its partitions until the broker aborts it: the broker looks for timed-out transactions every
        // 10 s by default, which added up to 10 s to a fail-over (EngineFaultsIT). Look every second.
        s.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        s.put("auto.create.topics.enable", "false");
        s.put("num.partitions", "1");
        // Modest footprint next to the engine and the gateway in one JVM.
        s.put("num.network.threads", "2");
        s.put("num.io.threads", "4");
        s.put("num.recovery.threads.per.data.dir", "2");
        s.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        s.put("log.cleaner.threads", "1");
        extra.forEach(s::put);
        Properties properties = new Properties();
        properties.putAll(s);
        return properties;
    }

    /**
     * {@code new KafkaRaftServer(KafkaConfig.fromProps(settings), Time.SYSTEM)}, through reflection:
     * KafkaConfig's superclass lives in {@code kafka-server}, which {@code kafka_2.13} brings at runtime
     * scope only, so the compiler cannot see it without another declared dependency.
     */
    private static Server newServer(Properties settings) {
        try {
            Class<?> configType = Class.forName("kafka.server.KafkaConfig");
            Object config = configType.getMethod("fromProps", Properties.class, boolean.class)
                    .invoke(null, settings, false);
            return KafkaRaftServer.class.getConstructor(configType, Time.class).newInstance(config, Time.SYSTEM);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("cannot create the Kafka server", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kafka_2.13 on the classpath has no KafkaRaftServer(KafkaConfig, Time)", e);
        }
    }

    private static void writeConfig(Properties settings, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            settings.store(out, "Written by tally at each start of the embedded broker; edits are overwritten.");
        }
    }

    /** Formats only a new log dir: formatting again would refuse (or, forced, lose the data). */
    private static void formatIfNew(Path logDir, Path configFile) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {
                    "format", "--standalone", "-t", clusterId, "-c", configFile.toString()}, out);
        }
        String said = output.toString(StandardCharsets.UTF_8).strip();
        if (exit != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed (exit " + exit
                    + "): " + said);
        }
        log.info("formatted new Kafka storage in {} (cluster id {})", logDir, clusterId);
    }

    /** The server's startup returns before the broker serves; wait until it answers clients. */
    private void awaitReady() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadlineNs) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                } catch (Exception e) {
                    last = e;
                }
            }
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready within "
                + READY_TIMEOUT.toSeconds() + " s", last);
    }

    /** A port free right now on 127.0.0.1. Another process could take it before the broker binds: rare. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
