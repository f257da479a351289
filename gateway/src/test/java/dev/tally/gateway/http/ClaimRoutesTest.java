package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.Reply;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.claims.ConfirmClaim;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.schemas.claims.ReleaseClaim;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The claim routes over real HTTP, with an in-memory engine behind them. */
@Timeout(60)
class ClaimRoutesTest {

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
    void a_create_sends_the_normalised_value_under_its_canonical_key_and_answers_201() throws Exception {
        startAnswering(DecisionCode.CLAIMED);

        HttpResponse<String> response = http.json("POST", "/v1/claims/tenant-slug",
                "{\"value\":\" Acme \",\"owner\":\"ws_1\",\"attributes\":{\"plan\":\"pro\"},\"holdSeconds\":60,"
                        + "\"requestId\":\"c-1\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        CreateClaim sent = (CreateClaim) sender.nextSent();
        assertThat(sent).isEqualTo(new CreateClaim("c-1", "tenant-slug", "acme", "ws_1", Map.of("plan", "pro"), 60L));
        assertThat(sent.entityKey()).isEqualTo("tenant-slug/acme");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "CLAIMED, 201",
            "CLAIM_EXISTS, 200",
            "CONFIRMED, 200",
            "RELEASED, 200",
            "ALREADY_CLAIMED, 409",
            "NOT_OWNER, 409",
            "CLAIM_NOT_FOUND, 404",
            "REQUEST_ID_REUSED, 409"})
    void status_follows_the_claim_decision_code(DecisionCode code, int status) throws Exception {
        startAnswering(code);

        HttpResponse<String> response = http.json("PUT", "/v1/claims/tenant-slug/acme", "{\"owner\":\"ws_1\"}");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).path("code").asText()).isEqualTo(code.name());
    }

    @Test
    void get_or_create_confirm_and_release_take_the_value_from_the_path() throws Exception {
        startAnswering(DecisionCode.CLAIM_EXISTS);

        http.json("PUT", "/v1/claims/customer-phone/co_1:%2B1%20(415)%20555-0100",
                "{\"owner\":\"cust_1\",\"requestId\":\"g-1\"}");
        http.json("POST", "/v1/claims/tenant-slug/ACME/confirm", "{\"owner\":\"ws_1\"}", "Idempotency-Key", "f-1");
        http.send(http.request("/v1/claims/tenant-slug/acme?owner=ws_1&requestId=d-1").DELETE());

        assertThat(sender.nextSent()).isEqualTo(
                new GetOrCreateClaim("g-1", "customer-phone", "co_1:+14155550100", "cust_1", null));
        assertThat(sender.nextSent()).isEqualTo(new ConfirmClaim("f-1", "tenant-slug", "acme", "ws_1"));
        assertThat(sender.nextSent()).isEqualTo(new ReleaseClaim("d-1", "tenant-slug", "acme", "ws_1"));
    }

    @Test
    void a_plus_in_the_path_is_a_plus_not_a_space() throws Exception {
        startAnswering(DecisionCode.CLAIM_EXISTS);

        http.json("PUT", "/v1/claims/customer-phone/co_1:+14155550100", "{\"owner\":\"cust_1\"}");

        assertThat(((GetOrCreateClaim) sender.nextSent()).value()).isEqualTo("co_1:+14155550100");
    }

    @Test
    void a_read_answers_the_claim_or_404() throws Exception {
        byte[] claim = "{\"scope\":\"tenant-slug\",\"value\":\"acme\",\"owner\":\"ws_1\",\"status\":\"ACTIVE\"}"
                .getBytes(StandardCharsets.UTF_8);
        start(new InMemorySender(100, 60_000).answering(r -> ((ReadClaim) r).value().equals("acme")
                ? new Reply(DecisionCode.OK.name(), TallyHeaders.KIND_REPORT, claim)
                : EngineReplies.decision(r, DecisionCode.CLAIM_NOT_FOUND)));

        HttpResponse<String> found = http.get("/v1/claims/tenant-slug/ACME");
        HttpResponse<String> missing = http.get("/v1/claims/tenant-slug/globex");

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found).path("owner").asText()).isEqualTo("ws_1");
        assertThat(sender.nextSent()).isInstanceOf(ReadClaim.class);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("code").asText()).isEqualTo("CLAIM_NOT_FOUND");
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "POST|/v1/claims/tenant_slug|{\"value\":\"acme\",\"owner\":\"ws_1\"}|scope",
            "POST|/v1/claims/tenant-slug|{\"value\":\"acme inc\",\"owner\":\"ws_1\"}|value",
            "POST|/v1/claims/tenant-slug|{\"owner\":\"ws_1\"}|value",
            "POST|/v1/claims/tenant-slug|{\"value\":\"acme\"}|owner",
            "POST|/v1/claims/tenant-slug|{\"value\":\"acme\",\"owner\":\"ws_1\",\"holdSeconds\":0}|holdSeconds",
            "POST|/v1/claims/tenant-slug|{\"value\":\"acme\",\"owner\":\"ws_1\",\"holdSeconds\":\"60\"}|holdSeconds",
            "POST|/v1/claims/tenant-slug|{\"value\":\"acme\",\"owner\":\"ws_1\",\"attributes\":{\"a\":1}}|attributes.a",
            "PUT|/v1/claims/customer-phone/4155550100|{\"owner\":\"cust_1\"}|value",
            "POST|/v1/claims/tenant-slug/acme/confirm|{}|owner"})
    void bad_input_is_a_400_naming_the_field_and_nothing_is_sent(String method, String path, String body,
                                                                  String field) throws Exception {
        startAnswering(DecisionCode.CLAIMED);

        HttpResponse<String> response = http.json(method, path, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("errors").findValuesAsText("field")).contains(field);
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void a_release_without_an_owner_is_a_400() throws Exception {
        startAnswering(DecisionCode.RELEASED);

        HttpResponse<String> response = http.send(http.request("/v1/claims/tenant-slug/acme").DELETE());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").findValuesAsText("field")).containsExactly("owner");
        assertThat(sender.sentNothing()).isTrue();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }
}
