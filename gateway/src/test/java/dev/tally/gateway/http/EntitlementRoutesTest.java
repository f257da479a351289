package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadEntitlements;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reservation, package, boost and entitlements routes over real HTTP, with an in-memory engine behind them. */
@Timeout(60)
class EntitlementRoutesTest {

    private static final String WS = "/v1/workspaces/acme";

    private GatewayUnderTest gateway;
    private InMemorySender sender;
    private HttpCalls http;

    @AfterEach
    void stop() {
        gateway.close();
    }

    private void start(InMemorySender given) {
        gateway = new GatewayUnderTest(given);
        sender = gateway.sender;
        http = gateway.http;
    }

    private void startAnswering(DecisionCode code) {
        start(new InMemorySender(100, 60_000).answering(r -> EngineReplies.decision(r, code)));
    }

    @Test
    void reservation_routes_send_their_requests_with_the_id_from_the_path() throws Exception {
        startAnswering(DecisionCode.RESERVED);

        HttpResponse<String> reserved = http.json("POST", WS + "/reservations",
                "{\"feature\":\"ai.tokens\",\"amount\":500,\"ttlSeconds\":60,\"namespace\":\"team-a\","
                        + "\"requestId\":\"res-1\"}");
        http.json("POST", WS + "/reservations/res-1/commit", "{\"amount\":320,\"requestId\":\"c-1\"}");
        http.json("POST", WS + "/reservations/res-2/release", "{\"requestId\":\"r-1\"}");

        assertThat(reserved.statusCode()).isEqualTo(201);
        assertThat(sender.nextSent()).isEqualTo(new Reserve("res-1", "acme", "team-a", "ai.tokens", 500L, 60L));
        assertThat(sender.nextSent()).isEqualTo(new CommitReservation("c-1", "acme", "res-1", 320L));
        assertThat(sender.nextSent()).isEqualTo(new ReleaseReservation("r-1", "acme", "res-2"));
    }

    @Test
    void a_release_takes_no_body_or_an_empty_one_and_its_id_from_the_idempotency_key() throws Exception {
        startAnswering(DecisionCode.RESERVATION_RELEASED);

        HttpResponse<String> bare = http.send(http.request(WS + "/reservations/res-1/release")
                .POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> labelledJson = http.json("POST", WS + "/reservations/res-2/release", "");
        HttpResponse<String> keyed = http.send(http.request(WS + "/reservations/res-3/release")
                .header(RequestIds.IDEMPOTENCY_KEY, "k-3").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> emptyObject = http.json("POST", WS + "/reservations/res-4/release", "{}");

        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
        assertThat(labelledJson.statusCode()).as(labelledJson.body()).isEqualTo(200);
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(200);
        assertThat(emptyObject.statusCode()).as(emptyObject.body()).isEqualTo(200);
        ReleaseReservation first = (ReleaseReservation) sender.nextSent();
        assertThat(first.reservationId()).isEqualTo("res-1");
        assertThat(UUID.fromString(first.requestId())).isNotNull();
        assertThat(((ReleaseReservation) sender.nextSent()).reservationId()).isEqualTo("res-2");
        assertThat(sender.nextSent()).isEqualTo(new ReleaseReservation("k-3", "acme", "res-3"));
        assertThat(((ReleaseReservation) sender.nextSent()).reservationId()).isEqualTo("res-4");
    }

    @Test
    void a_release_with_a_body_that_is_not_json_is_a_415_and_one_with_an_unknown_field_a_400() throws Exception {
        startAnswering(DecisionCode.RESERVATION_RELEASED);

        HttpResponse<String> form = http.send(http.request(WS + "/reservations/res-1/release")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("requestId=r-1")));
        HttpResponse<String> unknown = http.json("POST", WS + "/reservations/res-1/release", "{\"amount\":5}");

        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("errors").findValuesAsText("field")).containsExactly("amount");
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void a_package_is_sent_with_its_grants_of_each_kind() throws Exception {
        startAnswering(DecisionCode.PACKAGE_PROVISIONED);

        HttpResponse<String> response = http.json("POST", WS + "/packages",
                "{\"packageCode\":\"pro\",\"base\":true,\"namespace\":\"team-a\",\"requestId\":\"p-1\",\"features\":{"
                        + "\"ai.tokens\":{\"limit\":1000,\"period\":\"MONTH\"},"
                        + "\"seats\":{\"limit\":5,\"period\":\"LIFETIME\",\"enforcement\":\"SOFT\"},"
                        + "\"api.calls\":{\"unlimited\":true},"
                        + "\"sso\":{\"enabled\":true}}}");
        HttpResponse<String> addOn = http.json("POST", WS + "/packages",
                "{\"packageCode\":\"extra\",\"features\":{\"sso\":{\"enabled\":false}}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(addOn.statusCode()).isEqualTo(200);
        assertThat(sender.nextSent()).isEqualTo(new ProvisionPackage("p-1", "acme", "team-a", "pro", true, Map.of(
                "ai.tokens", FeatureGrant.metered(1000, Period.MONTH, Enforcement.HARD),
                "seats", FeatureGrant.metered(5, Period.LIFETIME, Enforcement.SOFT),
                "api.calls", FeatureGrant.unlimitedPer(Period.MONTH),
                "sso", FeatureGrant.flag(true))));
        ProvisionPackage second = (ProvisionPackage) sender.nextSent();
        assertThat(second.base()).isFalse();
        assertThat(second.namespace()).isNull();
        assertThat(second.features()).isEqualTo(Map.of("sso", FeatureGrant.flag(false)));
    }

    @Test
    void a_package_cancel_takes_its_scope_and_request_id_from_the_query() throws Exception {
        startAnswering(DecisionCode.PACKAGE_CANCELLED);

        HttpResponse<String> namespaced = http.send(http.request(WS + "/packages/pro?namespace=team-a&requestId=x-1")
                .DELETE());
        HttpResponse<String> workspace = http.send(http.request(WS + "/packages/starter").DELETE());

        assertThat(namespaced.statusCode()).isEqualTo(200);
        assertThat(workspace.statusCode()).isEqualTo(200);
        assertThat(sender.nextSent()).isEqualTo(new CancelPackage("x-1", "acme", "team-a", "pro"));
        CancelPackage second = (CancelPackage) sender.nextSent();
        assertThat(second.namespace()).isNull();
        assertThat(second.packageCode()).isEqualTo("starter");
        assertThat(UUID.fromString(second.requestId())).isNotNull();
    }

    @Test
    void a_boost_is_sent_with_its_expiry_as_an_instant() throws Exception {
        startAnswering(DecisionCode.BOOST_ADDED);

        HttpResponse<String> response = http.json("POST", WS + "/boosts",
                "{\"feature\":\"ai.tokens\",\"amount\":5000,\"externalId\":\"inv-42\","
                        + "\"expiresAt\":\"2099-12-01T01:00:00+01:00\",\"namespace\":\"team-a\",\"requestId\":\"b-1\"}");
        HttpResponse<String> forever = http.json("POST", WS + "/boosts",
                "{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"inv-43\",\"requestId\":\"b-2\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forever.statusCode()).isEqualTo(200);
        assertThat(sender.nextSent()).isEqualTo(new AddBoost("b-1", "acme", "team-a", "ai.tokens", 5000L, "inv-42",
                Instant.parse("2099-12-01T00:00:00Z")));
        assertThat(sender.nextSent()).isEqualTo(new AddBoost("b-2", "acme", null, "ai.tokens", 1L, "inv-43", null));
    }

    @Test
    void an_expiry_on_a_whole_minute_may_leave_out_its_seconds() throws Exception {
        startAnswering(DecisionCode.BOOST_ADDED);

        // What Java's OffsetDateTime.toString() writes for a time on a whole minute; a CI run sent it and got 400.
        HttpResponse<String> response = http.json("POST", WS + "/boosts",
                "{\"feature\":\"ai.tokens\",\"amount\":5,\"externalId\":\"inv-44\","
                        + "\"expiresAt\":\"2099-12-01T09:30+02:00\",\"requestId\":\"b-3\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(sender.nextSent()).isEqualTo(new AddBoost("b-3", "acme", null, "ai.tokens", 5L, "inv-44",
                Instant.parse("2099-12-01T07:30:00Z")));
    }

    @Test
    void an_entitlements_read_sends_a_read_with_a_fresh_id_and_answers_the_report() throws Exception {
        start(new InMemorySender(100, 60_000).answering(EngineReplies::report));

        HttpResponse<String> response = http.get(WS + "/entitlements");

        assertThat(response.statusCode()).isEqualTo(200);
        ReadEntitlements sent = (ReadEntitlements) sender.nextSent();
        assertThat(sent.workspace()).isEqualTo("acme");
        assertThat(UUID.fromString(sent.requestId())).isNotNull();
        assertThat(json(response).path("key").asText()).isEqualTo("acme");
    }

    @ParameterizedTest(name = "{0} on {1} {2} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "RESERVED|POST|/reservations|{\"feature\":\"f\",\"amount\":1,\"ttlSeconds\":60}|201",
            "QUOTA_EXCEEDED|POST|/reservations|{\"feature\":\"f\",\"amount\":1,\"ttlSeconds\":60}|409",
            "FEATURE_DISABLED|POST|/reservations|{\"feature\":\"f\",\"amount\":1,\"ttlSeconds\":60}|409",
            "NO_LIMIT_DEFINED|POST|/reservations|{\"feature\":\"f\",\"amount\":1,\"ttlSeconds\":60}|409",
            "RESERVATION_COMMITTED|POST|/reservations/r1/commit|{\"amount\":1}|200",
            "RESERVATION_RELEASED|POST|/reservations/r1/release|{}|200",
            "RESERVATION_NOT_FOUND|POST|/reservations/r1/commit|{\"amount\":1}|404",
            "RESERVATION_NOT_FOUND|POST|/reservations/r1/release|{}|404",
            "RESERVATION_EXPIRED|POST|/reservations/r1/commit|{\"amount\":1}|409",
            "RESERVATION_ENDED|POST|/reservations/r1/release|{}|409",
            "REQUEST_ID_REUSED|POST|/reservations/r1/commit|{\"amount\":1}|409",
            "PACKAGE_PROVISIONED|POST|/packages|{\"packageCode\":\"p\",\"features\":{\"f\":{\"enabled\":true}}}|200",
            "ALREADY_PROVISIONED|POST|/packages|{\"packageCode\":\"p\",\"features\":{\"f\":{\"enabled\":true}}}|200",
            "TOO_MANY_GRANTS|POST|/packages|{\"packageCode\":\"p\",\"features\":{\"f\":{\"enabled\":true}}}|409",
            "PACKAGE_CANCELLED|DELETE|/packages/p|{}|200",
            "PACKAGE_NOT_FOUND|DELETE|/packages/p|{}|404",
            "BOOST_ADDED|POST|/boosts|{\"feature\":\"f\",\"amount\":1,\"externalId\":\"e\"}|200",
            "DUPLICATE_EXTERNAL_ID|POST|/boosts|{\"feature\":\"f\",\"amount\":1,\"externalId\":\"e\"}|409",
            "TOO_MANY_GRANTS|POST|/boosts|{\"feature\":\"f\",\"amount\":1,\"externalId\":\"e\"}|409"})
    void status_follows_the_decision_code(DecisionCode code, String method, String path, String body, int status)
            throws Exception {
        startAnswering(code);

        HttpResponse<String> response = method.equals("DELETE")
                ? http.send(http.request(WS + path).DELETE())
                : http.json(method, WS + path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("code").asText()).isEqualTo(code.name());
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":1}|ttlSeconds",
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":1,\"ttlSeconds\":0}|ttlSeconds",
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":1,\"ttlSeconds\":2592001}|ttlSeconds",
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":1,\"ttlSeconds\":\"60\"}|ttlSeconds",
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":0,\"ttlSeconds\":60}|amount",
            "POST|/reservations|{\"feature\":\"AI Tokens\",\"amount\":1,\"ttlSeconds\":60}|feature",
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":1,\"ttlSeconds\":60,\"ttl\":5}|ttl",
            "POST|/reservations|{\"feature\":\"ai.tokens\",\"amount\":1,\"ttlSeconds\":60,\"namespace\":\"a b\"}|namespace",
            "POST|/reservations/r1/commit|{}|amount",
            "POST|/reservations/r1/commit|{\"amount\":-1}|amount",
            "POST|/reservations/r1/commit|{\"amount\":1.5}|amount",
            "POST|/reservations/r%7C1/commit|{\"amount\":1}|reservationId",
            "POST|/reservations/r%7C1/release|{}|reservationId",
            "POST|/reservations/r1/release|{\"requestId\":\"a b\"}|requestId",
            "POST|/packages|{\"packageCode\":\"pro\"}|features",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{}}|features",
            "POST|/packages|{\"features\":{\"f\":{\"enabled\":true}}}|packageCode",
            "POST|/packages|{\"packageCode\":\"pro\",\"base\":\"yes\",\"features\":{\"f\":{\"enabled\":true}}}|base",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"f\":{\"limit\":5}}}|features.f.period",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"f\":{\"limit\":5,\"period\":\"MONTH\",\"enabled\":true}}}|features.f",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"f\":{}}}|features.f",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"f\":{\"limit\":-1,\"period\":\"MONTH\"}}}|features.f.limit",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"f\":{\"limit\":5,\"period\":\"WEEK\"}}}|features.f.period",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"f\":{\"quota\":5}}}|features.f.quota",
            "POST|/packages|{\"packageCode\":\"pro\",\"features\":{\"F!\":{\"enabled\":true}}}|features.F!",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":1}|externalId",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":0,\"externalId\":\"e\"}|amount",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"e\",\"expiresAt\":\"tomorrow\"}|expiresAt",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"e\",\"expiresAt\":\"2026-12-01\"}|expiresAt",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"e\",\"expiresAt\":\"2026-12-01T00:00:00\"}|expiresAt",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"e\",\"expiresAt\":1764547200}|expiresAt",
            "POST|/boosts|{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"e\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}|expiresAt"})
    void bad_input_is_a_400_naming_the_field_and_nothing_is_sent(String method, String path, String body,
                                                                  String field) throws Exception {
        startAnswering(DecisionCode.OK);

        HttpResponse<String> response = http.json(method, WS + path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("errors").findValuesAsText("field")).contains(field);
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void a_bad_expiry_is_listed_with_the_boosts_other_faults() throws Exception {
        startAnswering(DecisionCode.BOOST_ADDED);

        HttpResponse<String> response = http.json("POST", WS + "/boosts",
                "{\"feature\":\"ai.tokens\",\"amount\":0,\"externalId\":\"e\",\"expiresAt\":\"next week\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode errors = json(response).path("errors");
        assertThat(errors.findValuesAsText("field")).containsExactly("amount", "expiresAt");
        assertThat(errors.get(1).path("reason").asText()).contains("ISO-8601");
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void a_package_cancel_with_a_bad_namespace_is_a_400() throws Exception {
        startAnswering(DecisionCode.PACKAGE_CANCELLED);

        HttpResponse<String> response = http.send(http.request(WS + "/packages/pro?namespace=a%20b").DELETE());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").findValuesAsText("field")).containsExactly("namespace");
        assertThat(sender.sentNothing()).isTrue();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }
}
