package dev.tally.launcher.e2e;

import dev.tally.contract.TopicNames;
import dev.tally.launcher.DevStack;
import dev.tally.launcher.testing.KafkaExtension;
import dev.tally.launcher.testing.TallyHttp;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TestNames;
import dev.tally.launcher.testing.TestStacks;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine and a gateway running against the test broker for all the tests of one class, on topics of
 * their own (so classes never see each other's records), stopped after the last test.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class RunningStack {

    protected TestKafka kafka;
    protected TopicNames topics;
    protected DevStack stack;
    protected TallyHttp http;

    /** What this class's topic prefix and application id start with. */
    protected abstract String name();

    /** Engine or gateway settings over the test defaults, for a class that needs the stack set otherwise. */
    protected Map<String, ?> settings() {
        return Map.of();
    }

    /** Runs before the stack starts: a class attaches what it observes the engine with here. */
    protected void beforeStart() {
    }

    /** Runs after the stack stopped, even when it failed to start. */
    protected void afterStop() {
    }

    @BeforeAll
    final void startStack(TestKafka testKafka, @TempDir Path dir) {
        kafka = testKafka;
        String prefix = TestNames.prefix(name());
        topics = new TopicNames(prefix);
        beforeStart();
        stack = TestStacks.start(kafka, dir, prefix, settings());
        http = new TallyHttp(stack.httpAddress());
    }

    @AfterAll
    final void stopStack() {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            afterStop();
        }
    }
}
