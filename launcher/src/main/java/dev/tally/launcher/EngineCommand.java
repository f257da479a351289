package dev.tally.launcher;

import dev.tally.launcher.observe.ObservedEngine;
import dev.tally.topology.EngineConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private ClusterOptions cluster;

    @Override
    public Integer call() {
        EngineConfig config = EngineConfig.resolve(cluster.configFile(), System.getenv(), cluster.overrides());
        ObservedEngine observed = ObservedEngine.start(config);
        spec.commandLine().getOut().println("tally engine started against " + config.bootstrapServers()
                + " (application id " + config.getString(EngineConfig.APPLICATION_ID) + ")"
                + (observed.httpPort() < 0 ? "" : "; health and metrics on http://"
                + config.getString(EngineConfig.HTTP_HOST) + ":" + observed.httpPort()));
        spec.commandLine().getOut().flush();
        return UntilStopped.run("tally engine", observed, () -> EngineHealth.problem(observed.engine()));
    }

}
