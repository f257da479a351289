package dev.tally.launcher;

import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.GatewayServer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tally gateway}: the HTTP gateway alone, against an existing cluster. Stateless. */
@Command(name = "gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the HTTP gateway against an existing Kafka cluster until Ctrl-C.",
            "Settings: defaults, then --config FILE, then TALLY_* environment variables, then options."})
final class GatewayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "HTTP port; 0 picks a free one (env TALLY_HTTP_PORT, default 8080).")
    private Integer httpPort;

    @Override
    public Integer call() {
        Ports.require(spec, "--http-port", httpPort);
        Map<String, Object> overrides = cluster.overrides();
        if (httpPort != null) {
            overrides.put(GatewayConfig.HTTP_PORT, httpPort);
        }
        GatewayConfig config = GatewayConfig.resolve(cluster.configFile(), System.getenv(), overrides);
        GatewayServer gateway = GatewayServer.start(config);
        spec.commandLine().getOut().println("tally gateway serving http://" + config.httpHost() + ":" + gateway.port()
                + " against " + config.bootstrapServers());
        spec.commandLine().getOut().flush();
        return UntilStopped.run("tally gateway", gateway, () -> null);
    }
}
