package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The race tally exists to end: many calls at once on one workspace, each one checking and recording.
 * A check-then-act store lets some of them through past the limit; tally must accept exactly what fits.
 */
class ConcurrentUsageIT extends RunningStack {

    private static final String FEATURE = "ai.tokens";

    @Override
    protected String name() {
        return "concurrent";
    }

    @Test
    void threeHundredConcurrentCallsAgainstALimitOfOneHundredAcceptExactlyOneHundred() {
        // Given a workspace with a hard limit of 100
        String ws = "ws-" + TestNames.random(8);
        assertThat(setLimit(ws, 100).status()).isEqualTo(200);

        // When 300 calls of 1 arrive at once
        Map<Integer, Long> statuses = statusCounts(fire(ws, 300, i -> 1L));

        // Then exactly 100 are accepted and the other 200 are refused with 409
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 100L, 409, 200L));
        JsonNode figures = featureUsage(ws);
        assertThat(figures.path("used").asLong()).isEqualTo(100);
        assertThat(figures.path("remaining").asLong()).isZero();
    }

    @Test
    void theSeedCaseMeetsTheLimitExactly() {
        // Given a limit of 1000 with 900 already used
        String ws = "ws-" + TestNames.random(8);
        assertThat(setLimit(ws, 1000).status()).isEqualTo(200);
        assertThat(use(ws, 900).status()).isEqualTo(200);

        // When 20 calls of 10 arrive at once: together 200, of which 100 fit
        List<Response> responses = fire(ws, 20, i -> 10L);

        // Then exactly 10 are accepted, and the limit is met exactly, not passed
        assertThat(statusCounts(responses)).containsExactlyInAnyOrderEntriesOf(Map.of(200, 10L, 409, 10L));
        assertThat(responses).filteredOn(r -> r.status() == 409)
                .allSatisfy(r -> assertThat(r.text("code")).isEqualTo(DecisionCode.QUOTA_EXCEEDED.name()));
        assertThat(featureUsage(ws).path("used").asLong()).isEqualTo(1000);
    }

    @Test
    void amountsThatOnlyPartlyFitNeverPassTheLimit() {
        // Given a limit of 1000 with 900 already used
        String ws = "ws-" + TestNames.random(8);
        assertThat(setLimit(ws, 1000).status()).isEqualTo(200);
        assertThat(use(ws, 900).status()).isEqualTo(200);

        // When 20 calls of 30 arrive at once: three fit (90), the fourth would pass the limit
        List<Response> responses = fire(ws, 20, i -> 30L);

        // Then exactly three are accepted and 990 is used: the decisions were serial, not racing
        assertThat(statusCounts(responses)).containsExactlyInAnyOrderEntriesOf(Map.of(200, 3L, 409, 17L));
        assertThat(featureUsage(ws).path("used").asLong()).isEqualTo(990);
        // And each accepted answer saw the ones before it: 930, 960, 990
        assertThat(responses).filteredOn(r -> r.status() == 200).extracting(r -> r.number("used"))
                .containsExactlyInAnyOrder(930L, 960L, 990L);
    }

    /** Sends {@code count} usage calls without waiting for any, then waits for all of them. */
    private List<Response> fire(String ws, int count, java.util.function.IntFunction<Long> amount) {
        List<CompletableFuture<Response>> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            calls.add(http.postAsync("/v1/workspaces/" + ws + "/usage",
                    "{\"feature\":\"" + FEATURE + "\",\"amount\":" + amount.apply(i) + "}"));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        return calls.stream().map(CompletableFuture::join).collect(Collectors.toList());
    }

    private static Map<Integer, Long> statusCounts(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Response::status, TreeMap::new, Collectors.counting()));
    }

    private Response setLimit(String ws, long limit) {
        return http.put("/v1/workspaces/" + ws + "/limits/" + FEATURE,
                // LIFETIME: a run that crosses midnight on the 1st must not split the usage over two periods.
                "{\"limit\":" + limit + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
    }

    private Response use(String ws, long amount) {
        return http.post("/v1/workspaces/" + ws + "/usage", "{\"feature\":\"" + FEATURE + "\",\"amount\":" + amount + "}");
    }

    private JsonNode featureUsage(String ws) {
        Response read = http.get("/v1/workspaces/" + ws + "/usage");
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        for (JsonNode feature : read.body().path("features")) {
            if (FEATURE.equals(feature.path("feature").asText())
                    && (feature.path("namespace").isMissingNode() || feature.path("namespace").isNull())) {
                return feature;
            }
        }
        throw new AssertionError("no workspace figures for " + FEATURE + " in " + read.raw());
    }
}
