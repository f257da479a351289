package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Packages, boosts and reservations against a real broker, with real concurrent HTTP callers: the races a
 * check-then-act store loses (two base packages both find none to replace; forty reservations all see room;
 * two boosts with one purchase id both find it new; a commit and a release both find a live reservation).
 */
class EntitlementsIT extends RunningStack {

    private static final String FEATURE = "ai.tokens";

    @Override
    protected String name() {
        return "entitlements";
    }

    @Test
    void twentyConcurrentBaseProvisioningsLeaveExactlyOneBasePackageAndReplaceEachOtherInOneChain() {
        // Given a workspace with no package, and twenty plans, each its own limit
        String ws = "ws-" + TestNames.random(8);
        int plans = 20;
        Map<String, Long> limitOf = new HashMap<>();
        for (int i = 0; i < plans; i++) {
            limitOf.put("plan-" + i, 100L + i);
        }

        // When all twenty are provisioned as the base package at once
        List<Response> responses = fire(plans, i -> http.postAsync("/v1/workspaces/" + ws + "/packages",
                "{\"packageCode\":\"plan-" + i + "\",\"base\":true,\"features\":{\"" + FEATURE + "\":{\"limit\":"
                        + limitOf.get("plan-" + i) + ",\"period\":\"LIFETIME\"}}}"));

        // Then every call was provisioned, and each but the first replaced exactly one earlier package
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.text("code")).isEqualTo(DecisionCode.PACKAGE_PROVISIONED.name());
        });
        Map<String, String> replacerOf = new HashMap<>();
        List<String> firsts = new ArrayList<>();
        for (Response r : responses) {
            String provisioned = r.body().path("provisioned").path("packageCode").asText();
            String replaced = r.text("replacedPackage");
            if (replaced == null) {
                firsts.add(provisioned);
                continue;
            }
            assertThat(limitOf).as(r.raw()).containsKey(replaced);
            assertThat(replaced).as(r.raw()).isNotEqualTo(provisioned);
            // No package is replaced twice: two provisionings that both saw it active would both name it
            assertThat(replacerOf.put(replaced, provisioned)).as("%s replaced twice", replaced).isNull();
        }
        assertThat(firsts).as("provisionings that found no base package").hasSize(1);
        // And the replacements form one chain from the first to the survivor, through every plan
        List<String> chain = new ArrayList<>(List.of(firsts.get(0)));
        while (replacerOf.containsKey(chain.get(chain.size() - 1)) && chain.size() <= plans) {
            chain.add(replacerOf.get(chain.get(chain.size() - 1)));
        }
        assertThat(chain).doesNotHaveDuplicates().hasSize(plans);
        String survivor = chain.get(plans - 1);

        // And the entitlements read shows the survivor as the one base package, and its limit in force
        JsonNode entitlements = entitlements(ws);
        assertThat(StreamSupport.stream(entitlements.path("packages").spliterator(), false)
                .filter(p -> p.path("base").asBoolean()).map(p -> p.path("packageCode").asText()))
                .containsExactly(survivor);
        assertThat(entitlements.path("packages")).hasSize(1);
        JsonNode feature = workspaceFeature(entitlements, ws);
        assertThat(feature.path("kind").asText()).isEqualTo("METERED");
        assertThat(feature.path("limit").asLong()).isEqualTo(limitOf.get(survivor));
        assertThat(feature.path("sources")).singleElement().satisfies(source -> {
            assertThat(source.path("source").asText()).isEqualTo("BASE_PACKAGE");
            assertThat(source.path("id").asText()).isEqualTo(survivor);
        });
        assertThat(workspaceFeature(usage(ws), ws).path("limit").asLong()).isEqualTo(limitOf.get(survivor));

        // When the survivor is cancelled, twice
        Response cancelled = http.delete("/v1/workspaces/" + ws + "/packages/" + survivor + "?requestId=cancel-1");
        Response again = http.delete("/v1/workspaces/" + ws + "/packages/" + survivor);

        // Then the first cancels it, the second finds nothing, and the feature is no longer defined
        assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
        assertThat(cancelled.text("code")).isEqualTo(DecisionCode.PACKAGE_CANCELLED.name());
        assertThat(again.status()).as(again.raw()).isEqualTo(404);
        assertThat(again.text("code")).isEqualTo(DecisionCode.PACKAGE_NOT_FOUND.name());
        assertThat(entitlements(ws).path("packages")).isEmpty();
        Response use = use(ws, 1);
        assertThat(use.status()).as(use.raw()).isEqualTo(409);
        assertThat(use.text("code")).isEqualTo(DecisionCode.NO_LIMIT_DEFINED.name());
    }

    @Test
    void fortyConcurrentReservationsAgainstALimitOfTenReserveExactlyTenAndEachEndsOnce() {
        // Given a hard limit of 10
        String ws = "ws-" + TestNames.random(8);
        assertThat(setLimit(ws, 10).status()).isEqualTo(200);

        // When forty reservations of 1 arrive at once
        List<Response> responses = fire(40, i -> http.postAsync("/v1/workspaces/" + ws + "/reservations",
                "{\"feature\":\"" + FEATURE + "\",\"amount\":1,\"ttlSeconds\":600,\"requestId\":\"res-" + i + "\"}"));

        // Then exactly ten are reserved and thirty refused: never more set aside than the limit
        assertThat(statusCounts(responses)).containsExactlyInAnyOrderEntriesOf(Map.of(201, 10L, 409, 30L));
        List<String> reserved = new ArrayList<>();
        for (Response r : responses) {
            if (r.status() == 201) {
                assertThat(r.text("code")).isEqualTo(DecisionCode.RESERVED.name());
                assertThat(r.body().path("reservation").path("reservationId").asText()).isEqualTo(r.text("requestId"));
                assertThat(r.body().path("reservation").path("status").asText()).isEqualTo("LIVE");
                reserved.add(r.text("requestId"));
            } else {
                assertThat(r.text("code")).as(r.raw()).isEqualTo(DecisionCode.QUOTA_EXCEEDED.name());
            }
        }
        assertFigures(ws, 0, 10, 0);
        // And usage cannot take what is reserved
        assertThat(use(ws, 1).text("code")).isEqualTo(DecisionCode.QUOTA_EXCEEDED.name());

        // When three are committed in full, two committed with less (0), three released, two left live
        reserved.sort(null);
        for (int i = 0; i < 3; i++) {
            assertEnded(commit(ws, reserved.get(i), 1), 200, DecisionCode.RESERVATION_COMMITTED);
        }
        for (int i = 3; i < 5; i++) {
            assertEnded(commit(ws, reserved.get(i), 0), 200, DecisionCode.RESERVATION_COMMITTED);
        }
        assertEnded(release(ws, reserved.get(5), "{\"requestId\":\"rel-5\"}"), 200, DecisionCode.RESERVATION_RELEASED);
        assertEnded(release(ws, reserved.get(6), "{}"), 200, DecisionCode.RESERVATION_RELEASED);
        assertEnded(release(ws, reserved.get(7), ""), 200, DecisionCode.RESERVATION_RELEASED);

        // Then 3 are used, 2 still reserved, and what the others held is back
        assertFigures(ws, 3, 2, 5);
        // And an ended reservation cannot end again, and an unknown one is not found
        Response commitReleased = commit(ws, reserved.get(5), 1);
        assertEnded(commitReleased, 409, DecisionCode.RESERVATION_ENDED);
        assertThat(commitReleased.body().path("reservation").path("status").asText()).isEqualTo("RELEASED");
        Response releaseCommitted = release(ws, reserved.get(0), "");
        assertEnded(releaseCommitted, 409, DecisionCode.RESERVATION_ENDED);
        assertThat(releaseCommitted.body().path("reservation").path("status").asText()).isEqualTo("COMMITTED");
        assertEnded(commit(ws, "no-such-reservation", 1), 404, DecisionCode.RESERVATION_NOT_FOUND);
        assertFigures(ws, 3, 2, 5);

        // When five commits and five releases race on each of the two live reservations
        List<Response> race = new ArrayList<>();
        for (String id : reserved.subList(8, 10)) {
            race.addAll(fire(10, i -> i % 2 == 0
                    ? http.postAsync(reservation(ws, id) + "/commit", "{\"amount\":1}")
                    : http.postAsync(reservation(ws, id) + "/release", "")));
        }

        // Then each ended exactly once: one winner each, every other caller told it had ended
        assertThat(statusCounts(race)).containsExactlyInAnyOrderEntriesOf(Map.of(200, 2L, 409, 18L));
        assertThat(race).filteredOn(r -> r.status() == 409).allSatisfy(
                r -> assertThat(r.text("code")).isEqualTo(DecisionCode.RESERVATION_ENDED.name()));
        for (String id : reserved.subList(8, 10)) {
            assertThat(race).filteredOn(r -> r.status() == 200
                    && id.equals(r.body().path("reservation").path("reservationId").asText())).hasSize(1);
        }
        long committed = race.stream()
                .filter(r -> r.status() == 200 && DecisionCode.RESERVATION_COMMITTED.name().equals(r.text("code")))
                .count();
        assertFigures(ws, 3 + committed, 0, 7 - committed);

        // When ten more reservations arrive at once for what is left
        List<Response> more = fire(10, i -> http.postAsync("/v1/workspaces/" + ws + "/reservations",
                "{\"feature\":\"" + FEATURE + "\",\"amount\":1,\"ttlSeconds\":600}"));

        // Then exactly what was returned is reserved again, and not one unit more
        assertThat(statusCounts(more)).containsExactlyInAnyOrderEntriesOf(
                Map.of(201, 7 - committed, 409, 3 + committed));
        assertFigures(ws, 3 + committed, 7 - committed, 0);
    }

    @Test
    void aReservationThatRunsOutReturnsItsAmountOnTheEnginesClockAndCannotBeCommitted() {
        // Given a reservation of 4 of 10 for one second
        String ws = "ws-" + TestNames.random(8);
        assertThat(setLimit(ws, 10).status()).isEqualTo(200);
        Response reserved = http.post("/v1/workspaces/" + ws + "/reservations",
                "{\"feature\":\"" + FEATURE + "\",\"amount\":4,\"ttlSeconds\":1,\"requestId\":\"short-1\"}");
        assertThat(reserved.status()).as(reserved.raw()).isEqualTo(201);
        assertThat(reserved.number("reserved")).isEqualTo(4);

        // When nobody commits it, and no request of the workspace arrives, the engine's clock ends it: one
        // expiry event on the decisions topic, read as a consumer would (read_committed)
        List<TestClients.Decided> decided = TestClients.readDecisionsUntil(kafka.bootstrapServers(),
                topics.usageDecisions(), Duration.ofSeconds(30), read -> read.stream().anyMatch(d -> isLapseOf(d, ws)));
        assertThat(decided).filteredOn(d -> isLapseOf(d, ws)).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo(ws);
            assertThat(d.decision().requestId()).isNull();
            assertThat(d.decision().type()).isEqualTo("reservation-expired");
            assertThat(d.decision().reservation().status().name()).isEqualTo("EXPIRED");
        });
        assertFigures(ws, 0, 0, 10);

        // Then a late commit is told it expired, and nothing was charged
        Response late = commit(ws, "short-1", 4);
        assertEnded(late, 409, DecisionCode.RESERVATION_EXPIRED);
        assertThat(late.body().path("reservation").path("status").asText()).isEqualTo("EXPIRED");
        assertFigures(ws, 0, 0, 10);
    }

    @Test
    void tenConcurrentBoostsWithOneExternalIdAddOneBoostAndEveryOtherNamesIt() {
        // Given a workspace, and one purchase sent ten times, each time under its own requestId and amount
        String ws = "ws-" + TestNames.random(8);
        String externalId = "inv-" + TestNames.random(6);

        // When all ten arrive at once
        List<Response> responses = fire(10, i -> http.postAsync("/v1/workspaces/" + ws + "/boosts",
                "{\"feature\":\"" + FEATURE + "\",\"amount\":" + (10 * (i + 1)) + ",\"externalId\":\"" + externalId
                        + "\",\"requestId\":\"boost-" + i + "\"}"));

        // Then one is added, and the nine others are refused naming that one
        assertThat(statusCounts(responses)).containsExactlyInAnyOrderEntriesOf(Map.of(200, 1L, 409, 9L));
        Response winner = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(winner.text("code")).isEqualTo(DecisionCode.BOOST_ADDED.name());
        String winnerId = winner.text("requestId");
        long amount = winner.body().path("boost").path("amount").asLong();
        assertThat(winner.body().path("boost").path("requestId").asText()).isEqualTo(winnerId);
        assertThat(responses).filteredOn(r -> r.status() == 409).allSatisfy(loser -> {
            assertThat(loser.text("code")).as(loser.raw()).isEqualTo(DecisionCode.DUPLICATE_EXTERNAL_ID.name());
            assertThat(loser.body().path("boost").path("requestId").asText()).isEqualTo(winnerId);
            assertThat(loser.body().path("boost").path("amount").asLong()).isEqualTo(amount);
        });
        // And only the winner's amount is in force: one boost, not ten
        JsonNode entitlements = entitlements(ws);
        assertThat(entitlements.path("boosts")).singleElement().satisfies(boost -> {
            assertThat(boost.path("externalId").asText()).isEqualTo(externalId);
            assertThat(boost.path("requestId").asText()).isEqualTo(winnerId);
        });
        assertThat(workspaceFeature(entitlements, ws).path("limit").asLong()).isEqualTo(amount);
        assertThat(workspaceFeature(usage(ws), ws).path("limit").asLong()).isEqualTo(amount);
    }

    @Test
    void aBoostsExpiryIsAnInstantThatMustBeAfterTheRequest() {
        // Given a workspace
        String ws = "ws-" + TestNames.random(8);
        // On a whole minute, so that its text with an offset leaves out the seconds, as OffsetDateTime writes it
        Instant inAnHour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

        // When a boost expires in an hour (written with an offset), another expired yesterday, a third has no date
        String inAnHourInParis = inAnHour.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        assertThat(inAnHourInParis).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d\\+02:00");
        Response live = http.post("/v1/workspaces/" + ws + "/boosts", "{\"feature\":\"" + FEATURE
                + "\",\"amount\":5,\"externalId\":\"e-1\",\"expiresAt\":\"" + inAnHourInParis + "\"}");
        Response past = http.post("/v1/workspaces/" + ws + "/boosts", "{\"feature\":\"" + FEATURE
                + "\",\"amount\":5,\"externalId\":\"e-2\",\"expiresAt\":\"" + inAnHour.minus(1, ChronoUnit.DAYS) + "\"}");
        Response unreadable = http.post("/v1/workspaces/" + ws + "/boosts", "{\"feature\":\"" + FEATURE
                + "\",\"amount\":5,\"externalId\":\"e-3\",\"expiresAt\":\"in an hour\"}");

        // Then the first counts until that instant, and the engine and the gateway refuse the others
        assertThat(live.status()).as(live.raw()).isEqualTo(200);
        assertThat(Instant.parse(live.body().path("boost").path("expiresAt").asText())).isEqualTo(inAnHour);
        assertThat(past.status()).as(past.raw()).isEqualTo(400);
        assertThat(past.text("code")).isEqualTo(DecisionCode.INVALID_REQUEST.name());
        assertThat(past.body().path("errors").findValuesAsText("field")).containsExactly("expiresAt");
        assertThat(unreadable.status()).as(unreadable.raw()).isEqualTo(400);
        assertThat(unreadable.body().path("errors").findValuesAsText("field")).containsExactly("expiresAt");
        assertThat(workspaceFeature(entitlements(ws), ws).path("limit").asLong()).isEqualTo(5);
    }

    private static boolean isLapseOf(TestClients.Decided decided, String ws) {
        return ws.equals(decided.key()) && decided.decision().code() == DecisionCode.RESERVATION_LAPSED
                && "short-1".equals(decided.decision().reservation().reservationId());
    }

    /** Sends {@code count} calls without waiting for any, then waits for all of them. */
    private static List<Response> fire(int count, IntFunction<CompletableFuture<Response>> call) {
        List<CompletableFuture<Response>> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            calls.add(call.apply(i));
        }
        return calls.stream().map(CompletableFuture::join).collect(Collectors.toList());
    }

    private static Map<Integer, Long> statusCounts(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Response::status, TreeMap::new, Collectors.counting()));
    }

    private static void assertEnded(Response response, int status, DecisionCode code) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.text("code")).as(response.raw()).isEqualTo(code.name());
    }

    private void assertFigures(String ws, long used, long reserved, long remaining) {
        JsonNode figures = workspaceFeature(usage(ws), ws);
        assertThat(figures.path("used").asLong()).as(figures.toString()).isEqualTo(used);
        assertThat(figures.path("reserved").asLong()).as(figures.toString()).isEqualTo(reserved);
        assertThat(figures.path("remaining").asLong()).as(figures.toString()).isEqualTo(remaining);
    }

    private static String reservation(String ws, String id) {
        return "/v1/workspaces/" + ws + "/reservations/" + id;
    }

    private Response commit(String ws, String id, long amount) {
        return http.post(reservation(ws, id) + "/commit", "{\"amount\":" + amount + "}");
    }

    private Response release(String ws, String id, String body) {
        return http.post(reservation(ws, id) + "/release", body);
    }

    private Response setLimit(String ws, long limit) {
        // LIFETIME: a run that crosses midnight on the 1st must not split the figures over two periods.
        return http.put("/v1/workspaces/" + ws + "/limits/" + FEATURE,
                "{\"limit\":" + limit + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
    }

    private Response use(String ws, long amount) {
        return http.post("/v1/workspaces/" + ws + "/usage", "{\"feature\":\"" + FEATURE + "\",\"amount\":" + amount + "}");
    }

    private JsonNode usage(String ws) {
        return read("/v1/workspaces/" + ws + "/usage");
    }

    private JsonNode entitlements(String ws) {
        return read("/v1/workspaces/" + ws + "/entitlements");
    }

    private JsonNode read(String path) {
        Response read = http.get(path);
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        return read.body();
    }

    /** The workspace's own entry for the feature in a usage report or an entitlements read. */
    private static JsonNode workspaceFeature(JsonNode report, String ws) {
        Set<String> seen = new HashSet<>();
        for (JsonNode feature : report.path("features")) {
            seen.add(feature.toString());
            if (FEATURE.equals(feature.path("feature").asText())
                    && (feature.path("namespace").isMissingNode() || feature.path("namespace").isNull())) {
                return feature;
            }
        }
        throw new AssertionError("no workspace entry for " + FEATURE + " of " + ws + " in " + seen);
    }
}
