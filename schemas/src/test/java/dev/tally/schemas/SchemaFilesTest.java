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
import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.BoostView;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.EntitlementsReport;
import dev.tally.schemas.usage.FeatureEntitlement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.FeatureUsage;
import dev.tally.schemas.usage.LimitSource;
import dev.tally.schemas.usage.PackageView;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadEntitlements;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.ReservationView;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageAlert;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import dev.tally.schemas.usage.UsageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        assertThat(properties(defs.get(Reserve.TYPE))).isEqualTo(withType(Reserve.class));
        assertThat(properties(defs.get(CommitReservation.TYPE))).isEqualTo(withType(CommitReservation.class));
        assertThat(properties(defs.get(ReleaseReservation.TYPE))).isEqualTo(withType(ReleaseReservation.class));
        assertThat(properties(defs.get(ProvisionPackage.TYPE))).isEqualTo(withType(ProvisionPackage.class));
        assertThat(properties(defs.get(CancelPackage.TYPE))).isEqualTo(withType(CancelPackage.class));
        assertThat(properties(defs.get(AddBoost.TYPE))).isEqualTo(withType(AddBoost.class));
        assertThat(properties(defs.get(ReadEntitlements.TYPE))).isEqualTo(withType(ReadEntitlements.class));
        assertThat(properties(defs.get("feature-grant"))).isEqualTo(components(FeatureGrant.class));
    }

    /**
     * Every usage request type Jackson reads has its entry, listed in the oneOf, with its type name; its
     * fields, enum values and nested records (a package's feature grants) are those of its record.
     */
    @Test
    void every_usage_request_type_has_a_schema_entry_matching_its_record_deeply() throws IOException {
        JsonNode schema = load(USAGE_REQUESTS);
        Set<String> refs = new HashSet<>();
        schema.get("oneOf").forEach(entry -> refs.add(entry.get("$ref").asText()));
        Set<String> names = new HashSet<>();
        for (JsonSubTypes.Type subtype : UsageRequest.class.getAnnotation(JsonSubTypes.class).value()) {
            String name = subtype.name();
            names.add(name);
            JsonNode def = schema.get("$defs").get(name);
            assertThat(def).as(name).isNotNull();
            assertThat(def.get("properties").get("type").get("const").asText()).isEqualTo(name);
            assertThat(refs).contains("#/$defs/" + name);
            assertMatches(USAGE_REQUESTS, def, recordType(subtype.value()), Set.of("type"));
        }
        assertThat(refs).hasSize(names.size());
        assertThat(values(load(USAGE_DECISIONS).get("properties").get("type")))
                .isEqualTo(union(names, Set.of(UsageDecision.RESERVATION_EXPIRED_TYPE)));
    }

    @Test
    void the_usage_decision_schema_matches_the_decision_and_its_views_deeply() throws IOException {
        JsonNode schema = load(USAGE_DECISIONS);
        JsonNode defs = schema.get("$defs");

        assertMatches(USAGE_DECISIONS, schema, UsageDecision.class, Set.of());
        assertThat(properties(defs.get("reservation"))).isEqualTo(components(ReservationView.class));
        assertThat(properties(defs.get("package"))).isEqualTo(components(PackageView.class));
        assertThat(properties(defs.get("boost"))).isEqualTo(components(BoostView.class));
        assertThat(properties(defs.get("feature-grant"))).isEqualTo(components(FeatureGrant.class));
    }

    @Test
    void the_entitlements_report_schema_matches_the_report_and_its_nested_records() throws IOException {
        String file = "entitlements-report.schema.json";
        JsonNode schema = load(file);

        assertMatches(file, schema, EntitlementsReport.class, Set.of());
        assertThat(properties(schema.get("$defs").get("feature-entitlement")))
                .isEqualTo(components(FeatureEntitlement.class));
        assertThat(properties(schema.get("$defs").get("limit-source"))).isEqualTo(components(LimitSource.class));
        assertThat(properties(resolve(file, schema.get("properties").get("packages").get("items")).node()))
                .isEqualTo(components(PackageView.class));
        assertThat(properties(resolve(file, schema.get("properties").get("boosts").get("items")).node()))
                .isEqualTo(components(BoostView.class));
    }

    @Test
    void the_alert_schema_matches_the_alert_record() throws IOException {
        String file = "usage-alert.schema.json";
        JsonNode schema = load(file);

        assertMatches(file, schema, UsageAlert.class, Set.of());
        assertThat(values(schema.get("properties").get("threshold"))).containsExactlyInAnyOrder("80", "90", "100");
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
        assertMatches("usage-report.schema.json", schema, UsageReport.class, Set.of());
    }

    private static final String USAGE_REQUESTS = "usage-request.schema.json";
    private static final String USAGE_DECISIONS = "usage-decision.schema.json";

    /** A schema node and the file its relative {@code $ref}s point into. */
    private record Located(String file, JsonNode node) {
    }

    /**
     * Checks that {@code objectSchema} lists exactly the components of {@code type} (plus {@code extra}), that
     * each enum component allows exactly its constants (the usage codes are a subset of DecisionCode, checked
     * against the others by the test on codes), and, following {@code $ref}s into other files, that each
     * nested record, list of records or map of records matches its record the same way.
     */
    private static void assertMatches(String file, JsonNode objectSchema, Class<?> type, Set<String> extra)
            throws IOException {
        String at = file + " " + type.getSimpleName();
        assertThat(properties(objectSchema)).as(at).isEqualTo(union(components(recordType(type)), extra));
        for (RecordComponent component : type.getRecordComponents()) {
            String where = at + "." + component.getName();
            Located property = resolve(file, objectSchema.get("properties").get(component.getName()));
            Class<?> raw = component.getType();
            if (raw == DecisionCode.class) {
                assertThat(enumNames(DecisionCode.class)).as(where).containsAll(values(property.node()));
            } else if (raw.isEnum()) {
                assertThat(values(property.node())).as(where).isEqualTo(enumNames(raw));
            } else if (raw.isRecord()) {
                assertMatches(property.file(), property.node(), raw, Set.of());
            } else if (List.class.isAssignableFrom(raw)) {
                assertNested(property.file(), property.node().get("items"), typeArgument(component, 0), where);
            } else if (Map.class.isAssignableFrom(raw)) {
                assertNested(property.file(), property.node().get("additionalProperties"),
                        typeArgument(component, 1), where);
            }
        }
    }

    private static void assertNested(String file, JsonNode schema, Class<?> element, String where)
            throws IOException {
        assertThat(schema).as(where).isNotNull();
        Located nested = resolve(file, schema);
        if (element.isRecord()) {
            assertMatches(nested.file(), nested.node(), element, Set.of());
        } else if (element.isEnum()) {
            assertThat(values(nested.node())).as(where).isEqualTo(enumNames(element));
        }
    }

    /** Follows a {@code $ref} ("#/$defs/x" or "other.schema.json#/$defs/x"), if the node is one. */
    private static Located resolve(String file, JsonNode node) throws IOException {
        assertThat(node).as(file).isNotNull();
        if (!node.has("$ref")) {
            return new Located(file, node);
        }
        String ref = node.get("$ref").asText();
        int hash = ref.indexOf('#');
        String target = hash > 0 ? ref.substring(0, hash) : file;
        JsonNode found = load(target).at(ref.substring(hash + 1));
        assertThat(found.isMissingNode()).as(file + " " + ref).isFalse();
        return resolve(target, found);
    }

    private static Set<String> values(JsonNode enumSchema) {
        assertThat(enumSchema.has("enum")).as(enumSchema.toString()).isTrue();
        Set<String> values = new HashSet<>();
        enumSchema.get("enum").forEach(value -> values.add(value.asText()));
        return values;
    }

    private static Set<String> enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.toSet());
    }

    private static Class<?> typeArgument(RecordComponent component, int index) {
        Type argument = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[index];
        return argument instanceof Class<?> c ? c : Object.class;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> recordType(Class<?> type) {
        assertThat(type.isRecord()).as(type.getName()).isTrue();
        return (Class<? extends Record>) type;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
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
