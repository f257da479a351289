package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageRequest;
import dev.tally.schemas.usage.UsageValidation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestCodecTest {

    private static final RequestCodec<UsageRequest> CODEC = RequestCodec.of(UsageRequest.class);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_request_written_by_any_client_reads_back_to_its_record_and_key() throws Exception {
        UsageRequest request = CODEC.read(utf8(
                "{\"type\":\"record-usage\",\"requestId\":\"r1\",\"workspace\":\"acme\",\"feature\":\"ai.tokens\",\"amount\":200}"));

        assertThat(request).isEqualTo(new RecordUsage("r1", "acme", null, "ai.tokens", 200L, null));
        assertThat(request.entityKey()).isEqualTo("acme");
        assertThat(CODEC.read(CODEC.write(request))).isEqualTo(request);
    }

    @Test
    void unreadable_records_are_refused_with_a_reason_that_names_the_field() {
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"record-usage\",\"amout\":1}")))
                .hasMessageContaining("amout");
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"record-usage\",\"amount\":\"lots\"}")))
                .hasMessageStartingWith("amount");
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"pay-me\"}"))).hasMessageContaining("pay-me");
        assertThatThrownBy(() -> CODEC.read(utf8("{\"workspace\":\"acme\"}"))).hasMessageContaining("type");
        assertThatThrownBy(() -> CODEC.read(utf8("not json"))).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> CODEC.read(utf8("{} {}"))).isInstanceOf(RequestCodec.UnreadableException.class);
        assertThatThrownBy(() -> CODEC.read(null)).hasMessageContaining("no value");
    }

    @Test
    void an_amount_is_a_json_integer_not_a_string_or_a_fraction() {
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"record-usage\",\"workspace\":\"acme\","
                + "\"feature\":\"ai.tokens\",\"amount\":\"7\"}"))).hasMessageStartingWith("amount");
        assertThatThrownBy(() -> CODEC.read(utf8("{\"type\":\"record-usage\",\"workspace\":\"acme\","
                + "\"feature\":\"ai.tokens\",\"amount\":7.9}"))).hasMessageStartingWith("amount");
    }

    @Test
    void validation_names_every_field_at_fault() {
        var errors = UsageValidation.validate(
                new RecordUsage(null, "acme|evil", null, "AI Tokens", 0L, null));

        assertThat(errors).extracting(FieldError::field)
                .containsExactly("requestId", "workspace", "feature", "amount");
    }

    @Test
    void a_limit_needs_a_period_and_a_non_negative_value() {
        var errors = UsageValidation.validate(new SetLimit("l1", "acme", null, "ai.tokens", -1L, null, null));

        assertThat(errors).extracting(FieldError::field).containsExactly("limit", "period");
        assertThat(UsageValidation.validate(
                new SetLimit("l1", "acme", "team-a", "ai.tokens", 0L, Period.LIFETIME, null))).isEmpty();
    }
}
