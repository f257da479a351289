package dev.tally.launcher.testing;

import dev.tally.contract.CommonSettings;
import dev.tally.gateway.GatewayConfig;
import dev.tally.launcher.DevStack;
import dev.tally.topology.EngineConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The engine and the gateway, wired as {@code tally dev} wires them, on the shared test broker. */
public final class TestStacks {

    /** Generous: a slow CI machine must not turn into 504s that the assertions would count. */
    public static final long DECISION_TIMEOUT_MS = 30_000;

    private TestStacks() {
    }

    /**
     * @param prefix   the test's own topic prefix ({@link TestNames#prefix}); also its application id
     * @param dir      where the engine keeps its state
     * @param settings engine or gateway settings over the test defaults (a small {@code pending.max}, say);
     *                 the prefix and application id stay the test's own
     */
    public static DevStack start(TestKafka kafka, Path dir, String prefix, Map<String, ?> settings) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(GatewayConfig.DECISION_TIMEOUT_MS, DECISION_TIMEOUT_MS);
        overrides.putAll(settings);
        overrides.put(CommonSettings.TOPIC_PREFIX, prefix);
        overrides.put(EngineConfig.APPLICATION_ID, prefix + "engine");
        return DevStack.startOn(kafka.bootstrapServers(),
                new DevStack.Options(dir, 0, 0, null, Map.of(), overrides));
    }
}
