package dev.tally.launcher;

import dev.tally.gateway.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally dev}: broker, engine and gateway in one process, for trying tally on one machine. */
@Command(name = "dev",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a Kafka broker (KRaft, in this JVM), the engine and the HTTP gateway in one process, until"
                    + " Ctrl-C.",
            "Serves 127.0.0.1 only and has NO AUTHENTICATION: for development, never for production.",
            "Broker logs and engine state live under the data dir: stop and start again and every limit and"
                    + " unit of usage is still there."})
final class DevCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:TALLY_HTTP_PORT:-8080}",
            description = "HTTP port on 127.0.0.1; 0 picks a free one (env TALLY_HTTP_PORT, default ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = DevStack.LOOPBACK,
            description = "Interface the HTTP server binds to (default ${DEFAULT-VALUE}). Any other needs API keys"
                    + " (auth.keys.file or auth.keys in --config or TALLY_AUTH_KEYS*).")
    private String httpHost;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "${env:TALLY_KAFKA_PORT:-9092}",
            description = "Kafka port on 127.0.0.1; 0 picks a free one (env TALLY_KAFKA_PORT, default ${DEFAULT-VALUE}).")
    private int kafkaPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:TALLY_DATA_DIR:-.tally}",
            description = "Where the broker's logs and the engine's state live (env TALLY_DATA_DIR, default"
                    + " ${DEFAULT-VALUE} under the current directory).")
    private Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Optional properties file with engine and gateway settings.")
    private Path configFile;

    @Override
    public Integer call() {
        Ports.require(spec, "--http-port", httpPort);
        Ports.require(spec, "--kafka-port", kafkaPort);
        ConfigFiles.check(configFile);
        DevStack.Options options = new DevStack.Options(dataDir.toAbsolutePath().normalize(), httpPort, kafkaPort,
                configFile, System.getenv(), Map.of(GatewayConfig.HTTP_HOST, httpHost));
        // Checked before anything starts: open to this machine is for trying it, open to a network is not.
        if (!DevStack.isLoopback(httpHost) && DevStack.resolveGateway(options, "unused:9092").authentication() == null) {
            spec.commandLine().getErr().println("tally dev: --http-host " + httpHost + " serves other hosts, which"
                    + " needs credentials: set auth.keys.file or auth.keys (bin/tally keys new makes one), or"
                    + " auth.jwt.key.file");
            return Tally.EXIT_USAGE;
        }
        DevStack stack = DevStack.start(options);
        printBanner(stack);
        return UntilStopped.run("tally dev", stack, stack::failure);
    }

    private void printBanner(DevStack stack) {
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.println("tally dev is ready");
        out.println("  HTTP   " + stack.httpAddress());
        out.println("  Kafka  " + stack.bootstrapServers());
        out.println("  data   " + dataDir.toAbsolutePath().normalize());
        out.println();
        if (stack.authenticates()) {
            out.println("  Credentials required (auth.keys.file / auth.keys / auth.jwt.*): send"
                    + " 'Authorization: Bearer <API key or JWT>'.");
        } else {
            out.println("  !! DEV MODE: NO AUTHENTICATION. Anyone on this machine can set limits and spend them.");
        }
        if (DevStack.isLoopback(httpHost)) {
            out.println("  !! It listens on " + httpHost + " only; do not expose it or use it in production.");
        } else {
            out.println("  !! It listens on " + httpHost + ": other hosts reach it, with keys. Not for production.");
        }
        out.println();
        out.println("  try: curl -s -X PUT " + stack.httpAddress() + "/v1/workspaces/acme/limits/ai.tokens"
                + (stack.authenticates() ? " -H 'Authorization: Bearer <an admin key>'" : "")
                + " -H 'content-type: application/json' -d '{\"limit\":1000,\"period\":\"MONTH\"}'");
        out.println("Ctrl-C stops it.");
        out.flush();
    }
}
