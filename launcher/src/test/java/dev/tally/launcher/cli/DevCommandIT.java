package dev.tally.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.launcher.Tally;
import dev.tally.launcher.testing.CliRun;
import dev.tally.launcher.testing.TallyHttp;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TallyProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally dev} as a user runs it: a process of its own with its own broker, stopped with SIGTERM
 * (what Ctrl-C sends) and started again on the same data dir.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DevCommandIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HTTP_ADDRESS = Pattern.compile("HTTP\\s+(http://\\S+)");
    private static final Pattern KAFKA_ADDRESS = Pattern.compile("Kafka\\s+(\\S+:\\d+)");
    /** The banner's last line: once it is out, so are the addresses above it (printed line by line). */
    private static final String READY = "Ctrl-C stops it.";

    @TempDir
    Path dataDir;

    @Test
    void limitsAndUsageSurviveAStopAndAStartOnTheSameDataDir() throws Exception {
        // Given tally dev on a new data dir, on free ports
        String workspaceLimit = "{\"limit\":1000,\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}";
        try (TallyProcess first = TallyProcess.start("dev-first", Map.of(),
                "dev", "--http-port", "0", "--kafka-port", "0", "--data-dir", dataDir.toString())) {
            first.awaitOutput(START_TIMEOUT, READY);
            assertThat(first.outputMatch(KAFKA_ADDRESS)).startsWith("127.0.0.1:");
            // It says loudly that it is open to this machine
            assertThat(first.output()).contains("!! DEV MODE: NO AUTHENTICATION.");
            TallyHttp http = new TallyHttp(first.outputMatch(HTTP_ADDRESS));
            assertThat(http.get("/health/ready").status()).isEqualTo(200);

            // When a limit is set and partly spent
            assertThat(http.put("/v1/workspaces/acme/limits/ai.tokens", workspaceLimit).status()).isEqualTo(200);
            assertThat(http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":700}").status())
                    .isEqualTo(200);

            // And tally dev is stopped as Ctrl-C stops it
            assertThat(first.stop(STOP_TIMEOUT)).as("exit code after SIGTERM; see %s", first.log()).isZero();
            assertThat(first.output()).contains("tally dev stopped");
        }

        // When it starts again on the same data dir, set through the environment this time
        try (TallyProcess second = TallyProcess.start("dev-second",
                Map.of("TALLY_DATA_DIR", dataDir.toString(), "TALLY_HTTP_PORT", "0", "TALLY_KAFKA_PORT", "0"),
                "dev")) {
            second.awaitOutput(START_TIMEOUT, READY);
            TallyHttp http = new TallyHttp(second.outputMatch(HTTP_ADDRESS));

            // Then the limit and the usage are still there
            Response usage = http.get("/v1/workspaces/acme/usage");
            assertThat(usage.status()).isEqualTo(200);
            assertThat(usage.body().path("features").get(0).path("used").asLong()).as(usage.raw()).isEqualTo(700);
            assertThat(usage.body().path("features").get(0).path("limit").asLong()).as(usage.raw()).isEqualTo(1000);

            // And they still decide: 300 more fit, 301 would not
            Response tooMuch = http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":301}");
            assertThat(tooMuch.status()).as(tooMuch.raw()).isEqualTo(409);
            assertThat(tooMuch.text("code")).isEqualTo("QUOTA_EXCEEDED");
            Response fits = http.post("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":300}");
            assertThat(fits.status()).as(fits.raw()).isEqualTo(200);
            assertThat(fits.number("remaining")).isZero();

            // And the audit, run on tally dev's broker as the README shows, finds every decision right
            CliRun audit = CliRun.of("audit", "--bootstrap-servers", second.outputMatch(KAFKA_ADDRESS));
            assertThat(audit.code()).as("audit: %s %s", audit.out(), audit.err()).isEqualTo(Tally.EXIT_OK);
            assertThat(audit.out()).contains("I4 every request answered: 4 writes (0 dead-lettered,")
                    .contains("0 undecided)").contains("audit: no violation");

            assertThat(second.stop(STOP_TIMEOUT)).isZero();
        }
    }

    @Test
    void aBadPortExitsWithTheUsageCodeBeforeAnythingStarts() {
        assertThat(Tally.run("dev", "--http-port", "70000", "--data-dir", dataDir.toString()))
                .isEqualTo(Tally.EXIT_USAGE);
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }

    @Test
    void servingOtherHostsWithoutKeysExitsWithTheUsageCodeBeforeAnythingStarts() {
        CliRun run = CliRun.of("dev", "--http-host", "0.0.0.0", "--data-dir", dataDir.toString());

        assertThat(run.code()).isEqualTo(Tally.EXIT_USAGE);
        assertThat(run.err()).contains("--http-host 0.0.0.0 serves other hosts").contains("auth.keys.file");
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }
}
