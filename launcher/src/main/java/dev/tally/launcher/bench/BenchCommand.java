package dev.tally.launcher.bench;

import picocli.CommandLine.Command;

/** {@code tally bench}: the load generators whose figures the README quotes. */
@Command(name = "bench", description = "Run a benchmark (the broker runs in a separate JVM).",
        mixinStandardHelpOptions = true, subcommands = {ThroughputBench.class, LatencyBench.class})
public final class BenchCommand {
}
