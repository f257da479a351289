package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON lines for the deployables, text for what a person watches, and the environment's word over both. */
class LogFormatTest {

    @Test
    void theDeployablesLogJsonAndTheRestText() {
        assertThat(LogFormat.json(new String[] {"engine", "--config", "f"}, Map.of())).isTrue();
        assertThat(LogFormat.json(new String[] {"gateway"}, Map.of())).isTrue();
        for (String command : new String[] {"dev", "audit", "bench", "keys"}) {
            assertThat(LogFormat.json(new String[] {command}, Map.of())).as(command).isFalse();
        }
        assertThat(LogFormat.json(new String[0], Map.of())).isFalse();
    }

    @Test
    void theEnvironmentChoosesEitherWay() {
        assertThat(LogFormat.json(new String[] {"engine"}, Map.of(LogFormat.ENV, "text"))).isFalse();
        assertThat(LogFormat.json(new String[] {"dev"}, Map.of(LogFormat.ENV, "JSON"))).isTrue();
    }

    @Test
    void theJsonConfigurationIsOnTheClasspath() {
        assertThat(LogFormat.class.getClassLoader().getResource(LogFormat.JSON_CONFIGURATION)).isNotNull();
    }
}
