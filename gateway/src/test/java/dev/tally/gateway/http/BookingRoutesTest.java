package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SlotSize;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The booking routes over real HTTP, with an in-memory engine behind them. */
@Timeout(60)
class BookingRoutesTest {

    private GatewayUnderTest gateway;
    private InMemorySender sender;
    private HttpCalls http;

    @AfterEach
    void stop() {
        gateway.close();
    }

    private void startAnswering(DecisionCode code) {
        start(new InMemorySender(100, 60_000).answering(r -> EngineReplies.decision(r, code)));
    }

    private void start(InMemorySender given) {
        gateway = new GatewayUnderTest(given);
        sender = gateway.sender;
        http = gateway.http;
    }

    @Test
    void every_route_sends_its_request_keyed_by_the_resource_in_the_path() throws Exception {
        startAnswering(DecisionCode.BOOKED);

        http.json("PUT", "/v1/resources/room-1", "{\"capacity\":5,\"slot\":30,\"timezone\":\"Europe/Paris\","
                + "\"requestId\":\"d-1\"}");
        http.json("POST", "/v1/resources/room-1/bookings", "{\"bookingId\":\"b1\",\"externalId\":\"gcal-7\","
                + "\"from\":\"2026-10-18\",\"to\":\"2026-10-19\",\"quantity\":2,\"userId\":\"u-1\",\"requestId\":\"k-1\"}");
        http.json("POST", "/v1/resources/room-1/bookings/b1/reschedule",
                "{\"from\":\"2026-10-20\",\"to\":\"2026-10-21\",\"expectedVersion\":1,\"requestId\":\"m-1\"}");
        http.send(http.request("/v1/resources/room-1/bookings/b1?expectedVersion=2&requestId=c-1").DELETE());
        http.get("/v1/resources/room-1/availability?from=2026-10-18&to=2026-10-25");

        assertThat(sender.nextSent()).isEqualTo(new DefineResource("d-1", "room-1", 5L, SlotSize.ofMinutes(30),
                "Europe/Paris"));
        assertThat(sender.nextSent()).isEqualTo(new Book("k-1", "room-1", "b1", "gcal-7", "2026-10-18", "2026-10-19",
                2L, "u-1"));
        assertThat(sender.nextSent()).isEqualTo(new RescheduleBooking("m-1", "room-1", "b1", "2026-10-20",
                "2026-10-21", 1L));
        assertThat(sender.nextSent()).isEqualTo(new CancelBooking("c-1", "room-1", "b1", 2L));
        ReadAvailability read = (ReadAvailability) sender.nextSent();
        assertThat(read.from()).isEqualTo("2026-10-18");
        assertThat(read.entityKey()).isEqualTo("room-1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "BOOKED, 201",
            "ALREADY_BOOKED, 200",
            "RESOURCE_SET, 200",
            "CANCELLED, 200",
            "RESCHEDULED, 200",
            "AVAILABILITY_CONFLICT, 409",
            "DUPLICATE_EXTERNAL_ID, 409",
            "STALE_VERSION, 409",
            "BOOKING_CANCELLED, 409",
            "RESOURCE_IN_USE, 409",
            "RESOURCE_NOT_FOUND, 404",
            "BOOKING_NOT_FOUND, 404",
            "COMPOSITE_BOOKED, 201",
            "COMPOSITE_REFUSED, 409",
            "COMPOSITE_TIMED_OUT, 409"})
    void status_follows_the_booking_decision_code(DecisionCode code, int status) throws Exception {
        startAnswering(code);

        HttpResponse<String> response = http.json("POST", "/v1/resources/room-1/bookings",
                "{\"from\":\"2026-10-18\",\"to\":\"2026-10-19\",\"quantity\":1}");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).path("code").asText()).isEqualTo(code.name());
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "PUT|/v1/resources/room-1|{\"capacity\":5,\"slot\":7,\"timezone\":\"UTC\"}|slot",
            "PUT|/v1/resources/room-1|{\"capacity\":5,\"slot\":\"WEEK\",\"timezone\":\"UTC\"}|slot",
            "PUT|/v1/resources/room-1|{\"capacity\":5,\"slot\":\"DAY\",\"timezone\":\"Mars/Olympus\"}|timezone",
            "PUT|/v1/resources/room-1|{\"slot\":\"DAY\",\"timezone\":\"UTC\"}|capacity",
            "POST|/v1/resources/room-1/bookings|{\"from\":\"tomorrow\",\"to\":\"2026-10-19\",\"quantity\":1}|from",
            "POST|/v1/resources/room-1/bookings|{\"from\":\"2026-10-19\",\"to\":\"2026-10-18\",\"quantity\":1}|to",
            "POST|/v1/resources/room-1/bookings|{\"from\":\"2026-10-18\",\"to\":\"2026-10-19\",\"quantity\":0}|quantity",
            "POST|/v1/resources/room%7C1/bookings|{\"from\":\"2026-10-18\",\"to\":\"2026-10-19\",\"quantity\":1}|resource",
            "POST|/v1/resources/room-1/bookings/b1/reschedule|{\"from\":\"2026-10-18\",\"to\":\"2026-10-19\",\"expectedVersion\":0}|expectedVersion"})
    void bad_input_is_a_400_naming_the_field_and_nothing_is_sent(String method, String path, String body,
                                                                  String field) throws Exception {
        startAnswering(DecisionCode.BOOKED);

        HttpResponse<String> response = http.json(method, path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("errors").findValuesAsText("field")).contains(field);
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void an_availability_read_without_a_range_or_a_cancel_with_a_bad_version_is_a_400() throws Exception {
        startAnswering(DecisionCode.CANCELLED);

        HttpResponse<String> noRange = http.get("/v1/resources/room-1/availability");
        HttpResponse<String> badVersion = http.send(http.request("/v1/resources/room-1/bookings/b1?expectedVersion=two")
                .DELETE());

        assertThat(noRange.statusCode()).isEqualTo(400);
        assertThat(json(noRange).path("errors").findValuesAsText("field")).containsExactly("from", "to");
        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(json(badVersion).path("errors").findValuesAsText("field")).containsExactly("expectedVersion");
        assertThat(sender.sentNothing()).isTrue();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void a_composite_is_sent_keyed_by_its_id_which_defaults_to_the_request_id() throws Exception {
        startAnswering(DecisionCode.COMPOSITE_BOOKED);

        HttpResponse<String> booked = http.json("POST", "/v1/composite-bookings", "{\"requestId\":\"k-1\",\"segments\":["
                + "{\"resource\":\"staff-ann\",\"from\":\"2026-10-18T09:00\",\"to\":\"2026-10-18T10:00\",\"quantity\":1},"
                + "{\"resource\":\"room-7\",\"from\":\"2026-10-18T09:00\",\"to\":\"2026-10-18T10:00\",\"quantity\":1}]}");
        HttpResponse<String> empty = http.json("POST", "/v1/composite-bookings", "{\"segments\":[]}");

        assertThat(booked.statusCode()).isEqualTo(201);
        BookComposite sent = (BookComposite) sender.nextSent();
        assertThat(sent.compositeId()).isEqualTo("k-1");
        assertThat(sent.entityKey()).isEqualTo("k-1");
        assertThat(sent.segments()).extracting(Segment::resource).containsExactly("staff-ann", "room-7");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).path("errors").findValuesAsText("field")).containsExactly("segments");
        assertThat(sender.sentNothing()).isTrue();
    }
}
