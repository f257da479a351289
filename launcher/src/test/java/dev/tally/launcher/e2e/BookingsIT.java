package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.topology.bookings.BookingRequestProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bookings against a real broker: the last seat sold to parallel callers, a cancel racing a reschedule,
 * and bookings published straight to Kafka.
 */
class BookingsIT extends RunningStack {

    private static final RequestCodec<BookingDecision> DECISIONS = RequestCodec.of(BookingDecision.class);

    private final ListAppender<ILoggingEvent> engineLog = new ListAppender<>();

    @Override
    protected String name() {
        return "bookings";
    }

    @Override
    protected void beforeStart() {
        engineLog.start();
        ((Logger) LoggerFactory.getLogger(BookingRequestProcessor.class)).addAppender(engineLog);
    }

    @Override
    protected void afterStop() {
        ((Logger) LoggerFactory.getLogger(BookingRequestProcessor.class)).detachAppender(engineLog);
    }

    @Test
    void sixParallelBookingsOfACapacityOfFiveAcceptFiveAndRefuseOneWithItsLogLine() {
        // Given a room with 5 places a night
        String room = "room-" + TestNames.random(6);
        assertThat(http.put("/v1/resources/" + room, "{\"capacity\":5,\"slot\":\"DAY\",\"timezone\":\"Europe/Paris\"}")
                .status()).isEqualTo(200);

        // When six guests book the same two nights at once
        List<CompletableFuture<Response>> calls = IntStream.range(0, 6)
                .mapToObj(i -> http.postAsync("/v1/resources/" + room + "/bookings",
                        "{\"from\":\"2026-10-18\",\"to\":\"2026-10-20\",\"quantity\":1,\"userId\":\"guest-" + i + "\"}"))
                .toList();
        List<Response> responses = calls.stream().map(CompletableFuture::join).toList();

        // Then five are booked and one is refused naming the full night, its usage and its capacity
        Map<Integer, Long> statuses = responses.stream()
                .collect(Collectors.groupingBy(Response::status, Collectors.counting()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 5L, 409, 1L));
        Response refused = responses.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        assertThat(refused.text("code")).isEqualTo(DecisionCode.AVAILABILITY_CONFLICT.name());
        assertThat(refused.body().path("conflict").path("start").asText()).isEqualTo("2026-10-17T22:00:00Z");
        assertThat(refused.body().path("conflict").path("used").asLong()).isEqualTo(5);
        assertThat(refused.body().path("conflict").path("capacity").asLong()).isEqualTo(5);
        // And the engine wrote one warning for it, with the resource, the range, the user and the usage
        List<ILoggingEvent> warnings = engineLog.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && keyValues(e).get("resource").equals(room)).toList();
        assertThat(warnings).singleElement().satisfies(line -> {
            Map<String, String> kv = keyValues(line);
            assertThat(kv).containsEntry("code", "AVAILABILITY_CONFLICT").containsEntry("from", "2026-10-18")
                    .containsEntry("to", "2026-10-20").containsEntry("used", "5").containsEntry("capacity", "5")
                    .containsKey("userId");
            assertThat(kv.get("userId")).startsWith("guest-");
        });
        // And the nights read full through the owning task
        Response availability = http.get("/v1/resources/" + room + "/availability?from=2026-10-18&to=2026-10-20");
        assertThat(availability.body().path("slots").findValuesAsText("used")).containsExactly("5", "5");
    }

    @Test
    void aCancelAndARescheduleRacingOnOneVersionLeaveOneOfThemApplied() {
        // Given a booking at version 1
        String room = "room-" + TestNames.random(6);
        http.put("/v1/resources/" + room, "{\"capacity\":1,\"slot\":\"DAY\",\"timezone\":\"UTC\"}");
        Response booked = http.post("/v1/resources/" + room + "/bookings",
                "{\"bookingId\":\"b1\",\"from\":\"2026-10-18\",\"to\":\"2026-10-19\",\"quantity\":1}");
        assertThat(booked.status()).as(booked.raw()).isEqualTo(201);

        // When a cancel and a reschedule, both expecting version 1, are sent at once
        CompletableFuture<Response> move = http.postAsync("/v1/resources/" + room + "/bookings/b1/reschedule",
                "{\"from\":\"2026-10-20\",\"to\":\"2026-10-21\",\"expectedVersion\":1}");
        Response cancel = http.delete("/v1/resources/" + room + "/bookings/b1?expectedVersion=1");
        Response moved = move.join();

        // Then exactly one applied, the other is STALE_VERSION, and the slots agree with the winner
        List<String> codes = List.of(moved.text("code"), cancel.text("code"));
        assertThat(codes).containsOnlyOnce(DecisionCode.STALE_VERSION.name());
        Response slots = http.get("/v1/resources/" + room + "/availability?from=2026-10-18&to=2026-10-21");
        List<String> used = slots.body().path("slots").findValuesAsText("used");
        if (codes.contains(DecisionCode.CANCELLED.name())) {
            assertThat(used).containsExactly("0", "0", "0");
        } else {
            assertThat(codes).contains(DecisionCode.RESCHEDULED.name());
            assertThat(used).containsExactly("0", "0", "1");
        }
    }

    @Test
    void bookingsPublishedStraightToKafkaAreDecidedAndReadLikeAnyOther() throws Exception {
        // Given a resource, and a producer that keys by resource id
        String desk = "desk-" + TestNames.random(6);
        http.put("/v1/resources/" + desk, "{\"capacity\":1,\"slot\":30,\"timezone\":\"America/New_York\"}");
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topics.bookingRequests(), desk, "{\"type\":\"book\",\"requestId\":\"k-1\","
                    + "\"resource\":\"" + desk + "\",\"externalId\":\"gcal-1\",\"from\":\"2026-10-18T09:00\","
                    + "\"to\":\"2026-10-18T10:00\",\"quantity\":1}")).get(30, TimeUnit.SECONDS);
        }

        // When its decision is out, then the same calendar event over HTTP gets the first booking back
        BookingDecision decided = awaitDecision(desk, "k-1", Duration.ofSeconds(60));
        assertThat(decided.code()).isEqualTo(DecisionCode.BOOKED);
        Response again = http.post("/v1/resources/" + desk + "/bookings",
                "{\"externalId\":\"gcal-1\",\"from\":\"2026-10-18T09:00\",\"to\":\"2026-10-18T10:00\",\"quantity\":1}");
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.text("code")).isEqualTo(DecisionCode.ALREADY_BOOKED.name());
        assertThat(again.body().path("booking").path("bookingId").asText()).isEqualTo("k-1");
    }

    private BookingDecision awaitDecision(String key, String requestId, Duration timeout) throws Exception {
        try (KafkaConsumer<String, byte[]> consumer =
                     TestClients.committedReader(kafka.bootstrapServers(), topics.bookingDecisions())) {
            long deadlineNs = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadlineNs) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    BookingDecision decision = DECISIONS.read(record.value());
                    if (key.equals(record.key()) && requestId.equals(decision.requestId())) {
                        return decision;
                    }
                }
            }
        }
        throw new AssertionError("no decision for " + requestId + " within " + timeout);
    }

    private static Map<String, String> keyValues(ILoggingEvent event) {
        if (event.getKeyValuePairs() == null) {
            return Map.of();
        }
        return event.getKeyValuePairs().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value), (a, b) -> b));
    }
}
