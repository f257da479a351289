package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.launcher.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void engineGatewayAndKafkaKeysMayShareOneFile() throws Exception {
        Path file = Files.writeString(dir.resolve("tally.properties"),
                "engine.commit.interval.ms=50\ndecision.timeout.ms=3000\ntopic.prefix=t.\nkafka.security.protocol=PLAINTEXT\n");

        assertThatCode(() -> ConfigFiles.check(file)).doesNotThrowAnyException();
    }

    @Test
    void aMisspeltKeyFailsStartNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("tally.properties"), "engine.comit.interval.ms=50\n");

        assertThatThrownBy(() -> ConfigFiles.check(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("engine.comit.interval.ms");
        assertThat(Tally.run("dev", "--config", file.toString(), "--data-dir", dir.resolve("data").toString()))
                .isEqualTo(Tally.EXIT_USAGE);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aBadValueFailsTheEngineAndTheGatewayBeforeTheyStartWithOneLineNamingTheKey() throws Exception {
        Path engineFile = Files.writeString(dir.resolve("engine.properties"), "engine.commit.interval.ms=soon\n");
        Path gatewayFile = Files.writeString(dir.resolve("gateway.properties"), "pending.max=-3\n");

        // (no broker at this address: a start that got past the settings would fail differently, later)
        CliRun engine = CliRun.of("engine", "--bootstrap-servers", "127.0.0.1:1", "--config", engineFile.toString());
        CliRun gateway = CliRun.of("gateway", "--bootstrap-servers", "127.0.0.1:1", "--config", gatewayFile.toString());

        assertThat(engine.code()).as(engine.err()).isEqualTo(Tally.EXIT_USAGE);
        assertThat(engine.err().strip().lines()).as(engine.err()).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("engine.commit.interval.ms").contains("soon"));
        assertThat(gateway.code()).as(gateway.err()).isEqualTo(Tally.EXIT_USAGE);
        assertThat(gateway.err().strip().lines()).as(gateway.err()).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("pending.max").contains("-3"));
    }
}
