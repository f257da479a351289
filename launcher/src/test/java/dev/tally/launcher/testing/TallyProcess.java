package dev.tally.launcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/tally} in a JVM of its own, started from the test's classpath, as a user would run it: the
 * tests stop it with SIGTERM (what Ctrl-C does) or kill it hard. Its output goes to a file under
 * {@code target/it-logs}, so a failure can point at it.
 */
public final class TallyProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private TallyProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code tally ARGS...} with these extra environment variables. */
    public static TallyProcess start(String name, Map<String, String> env, String... args) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log").toAbsolutePath();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp",
                    System.getProperty("java.class.path"), "dev.tally.launcher.Tally"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new TallyProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start tally " + String.join(" ", args), e);
        }
    }

    /** Waits until the output holds {@code marker}; fails at once if the process ends first. */
    public void awaitOutput(Duration timeout, String marker) {
        Await.until(timeout, () -> output().contains(marker) || !process.isAlive(),
                () -> name + " to print '" + marker + "'; see " + log);
        assertThat(output()).as("%s printed '%s' (alive: %s); see %s", name, marker, process.isAlive(), log)
                .contains(marker);
    }

    /** The first group of the first line of output that matches {@code pattern}. */
    public String outputMatch(Pattern pattern) {
        Matcher matcher = pattern.matcher(output());
        assertThat(matcher.find()).as("%s output matches %s; see %s", name, pattern, log).isTrue();
        return matcher.group(1);
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager would send; returns the exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("%s stops within %s; see %s", name, timeout, log).isTrue();
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s is gone after kill -9", name).isTrue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Kills what a test left running, and waits for it to go: its files (a RocksDB state dir, say) may be
     * deleted next.
     */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
