package dev.tally.launcher.testing;

import dev.tally.launcher.broker.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one Kafka cluster of a test JVM: Testcontainers' Kafka where a Docker engine answers, the in-JVM
 * KRaft broker otherwise. {@code -Dtally.it.kafka=embedded} (or {@code =docker}) forces one. Tests share
 * it, so each one uses its own topic prefix and application id ({@link TestNames}).
 */
public final class TestKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    public static final String MODE_PROPERTY = "tally.it.kafka";
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

    private final String bootstrapServers;
    private final String kind;
    private final AutoCloseable running;
    private final Path dataDir;

    private TestKafka(String bootstrapServers, String kind, AutoCloseable running, Path dataDir) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
        this.running = running;
        this.dataDir = dataDir;
    }

    static TestKafka start() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").toLowerCase(Locale.ROOT);
        boolean docker = switch (mode) {
            case "embedded" -> false;
            case "docker" -> true;
            default -> dockerAnswers();
        };
        return docker ? startContainer() : startEmbedded();
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.info("no Docker ({}): using the in-JVM broker", e.toString());
            return false;
        }
    }

    private static TestKafka startContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        log.info("tests use Kafka in a container ({}) at {}", KAFKA_IMAGE, container.getBootstrapServers());
        return new TestKafka(container.getBootstrapServers(), "testcontainers", container::stop, null);
    }

    private static TestKafka startEmbedded() {
        // Under target/, not the OS temp folder: the build cleans it, and a failed run leaves it to read.
        Path dataDir = Path.of("target", "it-kafka-" + UUID.randomUUID()).toAbsolutePath();
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, 0, 0);
        log.info("tests use the in-JVM broker at {}", broker.bootstrapServers());
        return new TestKafka(broker.bootstrapServers(), "embedded", broker, dataDir);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** "embedded" or "testcontainers". */
    public String kind() {
        return kind;
    }

    @Override
    public void close() throws Exception {
        running.close();
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return kind + " Kafka at " + bootstrapServers;
    }
}
