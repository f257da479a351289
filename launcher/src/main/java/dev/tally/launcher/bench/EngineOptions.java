package dev.tally.launcher.bench;

import dev.tally.contract.CommonSettings;
import dev.tally.topology.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every benchmark shares: where it works and how the engine under test is set up. */
final class EngineOptions {

    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Engine commit interval.")
    long commitIntervalMs;
    @Option(names = "--work-dir", defaultValue = "target/bench", description = "Broker data and engine state.")
    Path workDir;
    @Option(names = "--engine", paramLabel = "KEY=VALUE",
            description = "An engine or gateway setting, as in a config file (e.g. kafka.producer.linger.ms=10);"
                    + " repeatable.")
    Map<String, String> extraSettings = new HashMap<>();

    /** A new folder of its own under the work dir for one benchmark run. */
    Path newRunDir(String kind) throws IOException {
        Files.createDirectories(workDir);
        return Files.createTempDirectory(workDir.toAbsolutePath(), kind + "-");
    }

    /** Settings for an engine (and gateway) on {@code bootstrap}, state under {@code stateDir}; --engine wins. */
    Map<String, Object> settings(String bootstrap, Path stateDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrap);
        settings.put(EngineConfig.STATE_DIR, stateDir.toString());
        settings.put(EngineConfig.COMMIT_INTERVAL_MS, commitIntervalMs);
        settings.putAll(extraSettings);
        return settings;
    }
}
