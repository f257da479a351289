package dev.tally.launcher;

import dev.tally.contract.CommonSettings;
import dev.tally.topology.EngineConfig;
import dev.tally.topology.TallyEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tally engine}: the Kafka Streams engine alone, against an existing cluster. */
@Command(name = "engine",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the engine against an existing Kafka cluster until Ctrl-C; creates missing topics.",
            "Settings: defaults, then --config FILE, then TALLY_* environment variables, then options."})
final class EngineCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env TALLY_BOOTSTRAP_SERVERS, default localhost:9092).")
    private String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional properties file with engine settings.")
    private Path configFile;

    @Override
    public Integer call() {
        ConfigFiles.check(configFile);
        Map<String, Object> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        EngineConfig config = EngineConfig.resolve(configFile, System.getenv(), overrides);
        TallyEngine engine = TallyEngine.start(config);
        spec.commandLine().getOut().println("tally engine started against " + config.bootstrapServers()
                + " (application id " + config.getString(EngineConfig.APPLICATION_ID) + ")");
        spec.commandLine().getOut().flush();
        return UntilStopped.run("tally engine", engine, () -> EngineHealth.problem(engine));
    }

}
