package dev.tally.launcher;

import dev.tally.contract.ConfigSources;
import dev.tally.gateway.GatewayConfig;
import dev.tally.topology.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code --config} file: checked before anything starts, so a typo fails in one line instead of
 * being ignored. One file may hold the engine's and the gateway's settings (dev mode reads both), so a
 * key is known if either part defines it; {@code kafka.*} keys pass through to the Kafka clients.
 */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    public static void check(Path file) {
        if (file == null) {
            return;
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException("--config " + file + ": no such readable file");
        }
        Set<String> unknown = new TreeSet<>(ConfigSources.readFile(file).keySet());
        unknown.removeIf(key -> key.startsWith(ConfigSources.KAFKA_PASSTHROUGH_PREFIX)
                || EngineConfig.DEFINITION.names().contains(key)
                || GatewayConfig.DEFINITION.names().contains(key));
        if (!unknown.isEmpty()) {
            throw new ConfigException("--config " + file + ": unknown setting(s) " + unknown
                    + "; the README lists every key, and kafka.* settings pass through to the Kafka clients");
        }
    }
}
