package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.bookings.AvailabilityReport;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.Booking;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.CompositeDecision;
import dev.tally.schemas.bookings.SegmentOutcome;
import dev.tally.schemas.bookings.SegmentResult;
import dev.tally.schemas.bookings.ConfirmSegment;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReleaseSegment;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.SlotUsage;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ConfirmClaim;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.schemas.claims.ReleaseClaim;
import dev.tally.schemas.usage.FeatureUsage;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JSON Schema files non-Java producers read must say what the Java records really accept and write. */
class SchemaFilesTest {

    @Test
    void each_request_type_in_the_schema_has_exactly_the_fields_of_its_record() throws IOException {
        JsonNode defs = load("usage-request.schema.json").get("$defs");

        assertThat(properties(defs.get(RecordUsage.TYPE))).isEqualTo(withType(RecordUsage.class));
        assertThat(properties(defs.get(SetLimit.TYPE))).isEqualTo(withType(SetLimit.class));
        assertThat(properties(defs.get(ReadUsage.TYPE))).isEqualTo(withType(ReadUsage.class));
    }

    @Test
    void each_claim_request_type_in_the_schema_has_exactly_the_fields_of_its_record() throws IOException {
        JsonNode defs = load("claim-request.schema.json").get("$defs");

        assertThat(properties(defs.get(CreateClaim.TYPE))).isEqualTo(withType(CreateClaim.class));
        assertThat(properties(defs.get(GetOrCreateClaim.TYPE))).isEqualTo(withType(GetOrCreateClaim.class));
        assertThat(properties(defs.get(ConfirmClaim.TYPE))).isEqualTo(withType(ConfirmClaim.class));
        assertThat(properties(defs.get(ReleaseClaim.TYPE))).isEqualTo(withType(ReleaseClaim.class));
        assertThat(properties(defs.get(ReadClaim.TYPE))).isEqualTo(withType(ReadClaim.class));
    }

    @Test
    void each_booking_request_type_in_the_schema_has_exactly_the_fields_of_its_record() throws IOException {
        JsonNode defs = load("booking-request.schema.json").get("$defs");

        assertThat(properties(defs.get(DefineResource.TYPE))).isEqualTo(withType(DefineResource.class));
        assertThat(properties(defs.get(Book.TYPE))).isEqualTo(withType(Book.class));
        assertThat(properties(defs.get(CancelBooking.TYPE))).isEqualTo(withType(CancelBooking.class));
        assertThat(properties(defs.get(RescheduleBooking.TYPE))).isEqualTo(withType(RescheduleBooking.class));
        assertThat(properties(defs.get(ReadAvailability.TYPE))).isEqualTo(withType(ReadAvailability.class));
        assertThat(properties(defs.get(HoldSegment.TYPE))).isEqualTo(withType(HoldSegment.class));
        assertThat(properties(defs.get(ConfirmSegment.TYPE))).isEqualTo(withType(ConfirmSegment.class));
        assertThat(properties(defs.get(ReleaseSegment.TYPE))).isEqualTo(withType(ReleaseSegment.class));
        JsonNode bookings = load("booking-decision.schema.json");
        assertThat(properties(bookings.get("$defs").get("booking"))).isEqualTo(components(Booking.class));
        assertThat(properties(bookings.get("$defs").get("slot-usage"))).isEqualTo(components(SlotUsage.class));
        assertThat(properties(load("availability-report.schema.json"))).isEqualTo(components(AvailabilityReport.class));
    }

    @Test
    void the_decision_schemas_list_every_field_and_between_them_every_code() throws IOException {
        JsonNode usage = load("usage-decision.schema.json");
        JsonNode claims = load("claim-decision.schema.json");
        JsonNode bookings = load("booking-decision.schema.json");

        assertThat(properties(usage)).isEqualTo(components(UsageDecision.class));
        assertThat(properties(claims)).isEqualTo(components(ClaimDecision.class));
        assertThat(properties(claims.get("$defs").get("claim"))).isEqualTo(components(Claim.class));
        assertThat(properties(bookings)).isEqualTo(components(BookingDecision.class));
        Set<String> codes = new HashSet<>(codes(usage));
        codes.addAll(codes(claims));
        codes.addAll(codes(bookings));
        JsonNode compositeDecisions = load("composite-decision.schema.json");
        assertThat(properties(compositeDecisions)).isEqualTo(components(CompositeDecision.class));
        assertThat(properties(compositeDecisions.get("properties").get("segments").get("items")))
                .isEqualTo(components(SegmentOutcome.class));
        codes.addAll(codes(compositeDecisions));
        JsonNode compositeRequests = load("composite-request.schema.json").get("$defs");
        assertThat(properties(compositeRequests.get(BookComposite.TYPE))).isEqualTo(withType(BookComposite.class));
        assertThat(properties(compositeRequests.get(SegmentResult.TYPE))).isEqualTo(withType(SegmentResult.class));
        assertThat(codes).isEqualTo(Arrays.stream(DecisionCode.values()).map(Enum::name).collect(Collectors.toSet()));
        assertThat(codes(usage)).doesNotContain(DecisionCode.CLAIMED.name());
        assertThat(codes(claims)).doesNotContain(DecisionCode.QUOTA_EXCEEDED.name());
    }

    private static Set<String> codes(JsonNode decisionSchema) {
        Set<String> codes = new HashSet<>();
        decisionSchema.get("properties").get("code").get("enum").forEach(code -> codes.add(code.asText()));
        return codes;
    }

    @Test
    void the_report_schema_matches_the_report_records() throws IOException {
        JsonNode schema = load("usage-report.schema.json");

        assertThat(properties(schema)).isEqualTo(components(UsageReport.class));
        assertThat(properties(schema.get("properties").get("features").get("items")))
                .isEqualTo(components(FeatureUsage.class));
    }

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = SchemaFilesTest.class.getResourceAsStream("/schemas/" + name)) {
            assertThat(in).as(name).isNotNull();
            return Json.mapper().readTree(in);
        }
    }

    private static Set<String> properties(JsonNode objectSchema) {
        Set<String> names = new HashSet<>();
        objectSchema.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toSet());
    }

    private static Set<String> withType(Class<? extends Record> type) {
        Set<String> names = components(type);
        names.add("type");
        return names;
    }
}
