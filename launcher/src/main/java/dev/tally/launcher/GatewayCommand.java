package dev.tally.launcher;

import dev.tally.contract.CommonSettings;
import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.GatewayServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env TALLY_BOOTSTRAP_SERVERS, default localhost:9092).")
    private String bootstrapServers;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "HTTP port; 0 picks a free one (env TALLY_HTTP_PORT, default 8080).")
    private Integer httpPort;

    @Option(names = "--config", paramLabel = "FILE", description = "Optional properties file with gateway settings.")
    private Path configFile;

    @Override
    public Integer call() {
        Ports.require(spec, "--http-port", httpPort);
        ConfigFiles.check(configFile);
        Map<String, Object> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (httpPort != null) {
            overrides.put(GatewayConfig.HTTP_PORT, httpPort);
        }
        GatewayConfig config = GatewayConfig.resolve(configFile, System.getenv(), overrides);
        GatewayServer gateway = GatewayServer.start(config);
        spec.commandLine().getOut().println("tally gateway serving http://" + config.httpHost() + ":" + gateway.port()
                + " against " + config.bootstrapServers());
        spec.commandLine().getOut().flush();
        return UntilStopped.run("tally gateway", gateway, () -> null);
    }
}
