package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
