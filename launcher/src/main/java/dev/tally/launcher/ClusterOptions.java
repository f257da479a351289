package dev.tally.launcher;

import dev.tally.contract.CommonSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a part that runs against an existing Kafka cluster: where it is, and a settings file. */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env TALLY_BOOTSTRAP_SERVERS, default localhost:9092).")
    private String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional properties file with tally settings.")
    private Path configFile;

    /** The settings file, checked: readable, and every key known. */
    Path configFile() {
        ConfigFiles.check(configFile);
        return configFile;
    }

    /** What the options set, to win over the file and the environment. */
    Map<String, Object> overrides() {
        Map<String, Object> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        return overrides;
    }
}
