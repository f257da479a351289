package dev.tally.launcher.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.contract.ConfigSources;
import dev.tally.launcher.observe.LocalTasks;
import dev.tally.schemas.Json;
import dev.tally.topology.EngineConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Engine instances of one application, each {@code tally engine} in a JVM of its own with a state dir of
 * its own, as they would run on separate machines. A test kills them hard, stops them, and starts them
 * again on the same state dir.
 */
public final class EngineJvms implements AutoCloseable {

    private static final Duration STARTED_TIMEOUT = Duration.ofSeconds(60);
    /** Where {@code tally engine} says it serves its health and metrics. */
    public static final Pattern HTTP_ADDRESS = Pattern.compile("health and metrics on (http://\\S+)");

    private final String bootstrapServers;
    private final Path dir;
    private final Path config;
    private final Map<String, TallyProcess> running = new LinkedHashMap<>();
    private int starts;

    /**
     * @param prefix   the test's topic prefix; the application id derives from it
     * @param settings more engine settings for every instance (e.g. standby replicas)
     */
    public EngineJvms(String bootstrapServers, Path dir, String prefix, Map<String, String> settings) {
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        Properties props = new Properties();
        props.setProperty("topic.prefix", prefix);
        props.setProperty(EngineConfig.APPLICATION_ID, prefix + "engine");
        // Several instances on one machine: each serves its health and metrics on a port of its own.
        props.setProperty(EngineConfig.HTTP_PORT, "0");
        props.putAll(settings);
        this.config = dir.resolve("engine.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "engine instances of " + prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts instance {@code name} (again, on its own state dir) and waits until it says it started. */
    public TallyProcess start(String name) {
        String stateDir = dir.resolve("state-" + name).toString();
        TallyProcess engine = TallyProcess.start("engine-" + name + "-" + (++starts),
                Map.of(ConfigSources.envName(EngineConfig.STATE_DIR), stateDir),
                "engine", "--bootstrap-servers", bootstrapServers, "--config", config.toString());
        running.put(name, engine);
        engine.awaitOutput(STARTED_TIMEOUT, "tally engine started");
        return engine;
    }

    /** Waits until instance {@code name} has finished its first rebalance and decides. */
    public void awaitRunning(String name) {
        running.get(name).awaitOutput(STARTED_TIMEOUT, "engine state REBALANCING -> RUNNING");
    }

    /**
     * Probes instance {@code name}'s {@code /health/ready} until it answers 200, and returns the distinct
     * reasons its 503s gave before that, in order: what a load balancer or Kubernetes would have seen.
     */
    public List<String> awaitReady(String name, Duration timeout) {
        TallyHttp http = new TallyHttp(running.get(name).outputMatch(HTTP_ADDRESS));
        List<String> notReady = new ArrayList<>();
        Await.until(timeout, () -> {
            TallyHttp.Response ready = http.get("/health/ready");
            if (ready.status() == 503 && !notReady.contains(ready.text("message"))) {
                notReady.add(ready.text("message"));
            }
            return ready.status() == 200;
        }, () -> "engine " + name + " ready; saw " + notReady);
        return notReady;
    }

    /** The stream tasks instance {@code name} runs now, from its {@code /tasks}. */
    public LocalTasks tasks(String name) {
        return tasks(new TallyHttp(running.get(name).outputMatch(HTTP_ADDRESS)));
    }

    /** The stream tasks the engine serving {@code engineHttp} runs now, from its {@code /tasks}. */
    public static LocalTasks tasks(TallyHttp engineHttp) {
        TallyHttp.Response tasks = engineHttp.get("/tasks");
        if (tasks.status() != 200) {
            throw new AssertionError("/tasks answered " + tasks.status() + ": " + tasks.raw());
        }
        try {
            return Json.mapper().treeToValue(tasks.body(), LocalTasks.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("/tasks answered " + tasks.raw(), e);
        }
    }

    /** SIGKILL: the instance leaves nothing committed behind and stays in the group until its session ends. */
    public void kill(String name) throws InterruptedException {
        running.remove(name).kill();
    }

    /** SIGTERM: the instance commits, leaves the group, and exits; returns its exit code. */
    public int stop(String name) throws InterruptedException {
        return running.remove(name).stop(Duration.ofSeconds(60));
    }

    /** Whether instance {@code name} was started, not stopped or killed, and its JVM is still alive. */
    public boolean isRunning(String name) {
        TallyProcess engine = running.get(name);
        return engine != null && engine.isAlive();
    }

    @Override
    public void close() {
        running.values().forEach(TallyProcess::close);
        running.clear();
    }
}
