package dev.tally.launcher.audit;

import dev.tally.contract.ConfigSources;
import dev.tally.contract.TopicNames;
import dev.tally.launcher.ConfigFiles;
import dev.tally.launcher.Tally;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally audit}: checks the invariants against what the engine wrote, on a live cluster or on
 * {@code tally dev}'s broker. Exit 0 if none is broken, 1 if any is.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Replay the request, decision and dead-letter topics (read_committed) and check the"
                + " invariants I1 to I5: exit 1 on any violation.")
public final class AuditCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default 127.0.0.1:9092, tally dev's broker).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = TopicNames.DEFAULT_PREFIX,
            description = "The engine's topic.prefix (default tally.).")
    String topicPrefix;

    @Option(names = "--timeout-seconds", defaultValue = "60",
            description = "How long reading one topic may take before the audit gives up.")
    long timeoutSeconds;

    @Option(names = "--grace-seconds", defaultValue = "60",
            description = "Requests younger than this may still be undecided: counted, not reported (default 60).")
    long graceSeconds;

    @Option(names = "--what-if", paramLabel = "FILE",
            description = "Instead of the audit: replay the usage records decided under HARD limits and the"
                    + " booking decisions against the limits and capacities in FILE (lines 'limit"
                    + " <workspace>[/<namespace>] <feature> <limit>' and 'capacity <resource> <capacity>') and list"
                    + " the decisions that would change. Exit 0; 2 if FILE is not such a file.")
    Path whatIf;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A tally settings file whose kafka.* settings (TLS, SASL) the audit's consumers take.")
    Path configFile;

    @Override
    public Integer call() {
        ConfigFiles.check(configFile);
        Map<String, Object> client = ConfigSources.clientSettings(
                configFile == null ? Map.of() : ConfigSources.readFile(configFile), bootstrapServers);
        if (whatIf != null) {
            WhatIfFile file;
            try {
                file = WhatIfFile.read(whatIf);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                System.err.println("tally audit: " + whatIf + ": " + e.getMessage());
                return Tally.EXIT_USAGE;
            }
            new Audit(client, topicPrefix, Duration.ofSeconds(timeoutSeconds), Duration.ZERO).whatIf(file)
                    .print(System.out);
            return Tally.EXIT_OK;
        }
        Audit.Report report = new Audit(client, topicPrefix, Duration.ofSeconds(timeoutSeconds),
                Duration.ofSeconds(graceSeconds)).run();
        report.print(System.out);
        return report.clean() ? Tally.EXIT_OK : Tally.EXIT_FAILED;
    }
}
