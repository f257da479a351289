package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.TallyHeaders;
import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Fault 5: records no gateway would send, published straight to each request topic (usage, claims,
 * bookings): not JSON (with a key and without one), an unknown type, an unknown field, a field of the
 * wrong type, no value, a value over the engine's limit; and readable ones with no key, a key that does not
 * match the body, a rule broken and a required field missing. Each unreadable one
 * lands in the dead-letter topic exactly once with its reason and position; each readable one gets exactly
 * one decision (INVALID_REQUEST when it breaks a rule, wherever it was keyed); the engine keeps deciding.
 */
class PoisonRecordsIT extends RunningStack {

    private static final Duration ALL_HANDLED = Duration.ofSeconds(90);
    /** Over the engine's 256 KiB limit, under the producer's and the broker's 1 MiB. */
    private static final int HUGE_BYTES = 300 * 1024;

    @Override
    protected String name() {
        return "poison";
    }

    /**
     * One domain's request topic, the key its entity has, a valid and an invalid body for a request id, and a
     * required field of the valid body (a regex of it with its comma): without it, the request breaks a rule.
     */
    private record Domain(String name, String requestTopic, String decisionTopic, String entityKey,
                          Function<String, String> valid, Function<String, String> breaksARule, String requiredField) {
    }

    private List<Domain> domains() {
        return List.of(
                new Domain("usage", topics.usageRequests(), topics.usageDecisions(), "ws-poison",
                        id -> "{\"type\":\"record-usage\",\"requestId\":\"" + id + "\",\"workspace\":\"ws-poison\","
                                + "\"feature\":\"ai.tokens\",\"amount\":1}",
                        id -> "{\"type\":\"record-usage\",\"requestId\":\"" + id + "\",\"workspace\":\"ws-poison\","
                                + "\"feature\":\"ai.tokens\",\"amount\":0}",
                        ",\"feature\":\"ai\\.tokens\""),
                new Domain("claims", topics.claimRequests(), topics.claimDecisions(), "tenant-slug/poison-co",
                        id -> "{\"type\":\"create-claim\",\"requestId\":\"" + id + "\",\"scope\":\"tenant-slug\","
                                + "\"value\":\"poison-co\",\"owner\":\"o-" + id + "\"}",
                        id -> "{\"type\":\"create-claim\",\"requestId\":\"" + id + "\",\"scope\":\"no-such-scope\","
                                + "\"value\":\"poison-co\",\"owner\":\"o-" + id + "\"}",
                        ",\"owner\":\"o-[^\"]*\""),
                new Domain("bookings", topics.bookingRequests(), topics.bookingDecisions(), "room-poison",
                        id -> "{\"type\":\"book\",\"requestId\":\"" + id + "\",\"resource\":\"room-poison\","
                                + "\"from\":\"2026-12-01T09:00:00Z\",\"to\":\"2026-12-01T10:00:00Z\",\"quantity\":1}",
                        id -> "{\"type\":\"book\",\"requestId\":\"" + id + "\",\"resource\":\"room-poison\","
                                + "\"from\":\"2026-12-01T09:00:00Z\",\"to\":\"2026-12-01T10:00:00Z\",\"quantity\":0}",
                        ",\"quantity\":1"));
    }

    /** Where an unreadable record was written, and the words its dead letter's reason must hold. */
    private record Unreadable(String topic, int partition, long offset, String reasonHolds, boolean keepsValue) {
        String position() {
            return TallyHeaders.position(topic, partition, offset);
        }
    }

    @Test
    void unreadableRecordsAreDeadLetteredOnceAndReadableOnesAreDecidedOnce() throws Exception {
        List<Unreadable> unreadable = new ArrayList<>();
        Map<String, Domain> readable = new HashMap<>();
        Map<String, String> expectedCode = new HashMap<>();
        List<Domain> domains = domains();

        // Given each request topic gets every kind of poison, then a valid request behind it
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
            for (Domain d : domains) {
                String key = d.entityKey();
                unreadable.add(unreadable(producer, d, key, "<order id=7/>", "not JSON", true));
                unreadable.add(unreadable(producer, d, key, "{\"type\":\"launch-rockets\",\"requestId\":\"x\"}",
                        "launch-rockets", true));
                String withUnknownField = d.valid().apply(d.name() + "-unknown-field").replaceFirst("}$", ",\"bogus\":1}");
                unreadable.add(unreadable(producer, d, key, withUnknownField, "bogus", true));
                unreadable.add(unreadable(producer, d, key, null, "no value", true));
                unreadable.add(unreadable(producer, d, null, "{not json either", "not JSON", true));
                String wrongType = d.valid().apply("x").replace("\"requestId\":\"x\"", "\"requestId\":{\"id\":7}");
                unreadable.add(unreadable(producer, d, key, wrongType, "requestId", true));
                String huge = d.valid().apply(d.name() + "-huge").replaceFirst("}$",
                        ",\"padding\":\"" + "x".repeat(HUGE_BYTES) + "\"}");
                unreadable.add(unreadable(producer, d, key, huge, "over the engine's limit", false));

                String noKey = d.name() + "-no-key";
                producer.send(new ProducerRecord<>(d.requestTopic(), null, d.valid().apply(noKey)));
                readable.put(noKey, d);
                String wrongKey = d.name() + "-wrong-key";
                producer.send(new ProducerRecord<>(d.requestTopic(), "someone-else", d.valid().apply(wrongKey)));
                readable.put(wrongKey, d);
                String invalid = d.name() + "-breaks-a-rule";
                producer.send(new ProducerRecord<>(d.requestTopic(), key, d.breaksARule().apply(invalid)));
                readable.put(invalid, d);
                expectedCode.put(invalid, "INVALID_REQUEST");
                String missing = d.name() + "-misses-a-field";
                producer.send(new ProducerRecord<>(d.requestTopic(), key,
                        d.valid().apply(missing).replaceFirst(d.requiredField(), "")));
                readable.put(missing, d);
                expectedCode.put(missing, "INVALID_REQUEST");
                String after = d.name() + "-after-the-poison";
                producer.send(new ProducerRecord<>(d.requestTopic(), key, d.valid().apply(after)));
                readable.put(after, d);
            }
        }

        // When the engine has handled them all: every dead letter and every decision is committed
        Await.until(ALL_HANDLED, () -> deadLetters().size() >= unreadable.size()
                        && readable.entrySet().stream().allMatch(e -> decisionsOf(e.getValue()).containsKey(e.getKey())),
                () -> "dead letters " + deadLetters().size() + " of " + unreadable.size()
                        + ", decided " + readable.keySet().stream()
                        .filter(id -> decisionsOf(readable.get(id)).containsKey(id)).collect(Collectors.toList()));
        List<ConsumerRecord<String, byte[]>> deadLetters = deadLetters();

        // Then each unreadable record is in the dead-letter topic exactly once, with its position and reason
        Map<String, List<ConsumerRecord<String, byte[]>>> lettersByPosition = deadLetters.stream()
                .collect(Collectors.groupingBy(TestClients::deadLetterPosition));
        assertThat(lettersByPosition.keySet()).as("positions the dead letters name")
                .containsExactlyInAnyOrderElementsOf(unreadable.stream().map(Unreadable::position).toList());
        for (Unreadable poison : unreadable) {
            List<ConsumerRecord<String, byte[]>> letters = lettersByPosition.get(poison.position());
            assertThat(letters).as("dead letters of %s", poison.position()).hasSize(1);
            ConsumerRecord<String, byte[]> letter = letters.get(0);
            assertThat(TallyHeaders.text(letter.headers(), TallyHeaders.DLQ_REASON))
                    .as("reason of %s", poison.position()).contains(poison.reasonHolds());
            if (!poison.keepsValue()) {
                assertThat(letter.value()).as("an oversized value is not copied").isNull();
            }
        }

        // And each readable record has exactly one decision, under its entity's key, whatever key it came with
        int decisions = 0;
        for (Domain d : domains) {
            Map<String, List<JsonNode>> decided = decisionsOf(d);
            for (Map.Entry<String, Domain> request : readable.entrySet()) {
                if (!request.getValue().name().equals(d.name())) {
                    continue;
                }
                String id = request.getKey();
                assertThat(decided.get(id)).as("decisions of %s", id).hasSize(1);
                decisions++;
                if (expectedCode.containsKey(id)) {
                    assertThat(decided.get(id).get(0).path("code").asText()).as("code of %s", id)
                            .isEqualTo(expectedCode.get(id));
                } else {
                    assertThat(decided.get(id).get(0).path("code").asText()).as("code of %s", id)
                            .isNotEqualTo("INVALID_REQUEST");
                }
            }
            assertThat(decided.keySet()).as("%s decisions only for the readable requests", d.name())
                    .allMatch(readable::containsKey);
            assertThat(decisionKeys(d)).as("%s decisions keyed by the entity", d.name()).containsOnly(d.entityKey());
        }

        // And the engine is still running and answers a caller
        assertThat(stack.engine().isRunning()).as("engine running").isTrue();
        Response claim = http.post("/v1/claims/tenant-slug",
                "{\"value\":\"after-the-poison\",\"owner\":\"ws_1\",\"requestId\":\"http-after-the-poison\"}");
        assertThat(claim.status()).as("claim call after the poison: %s", claim).isEqualTo(201);

        // And the audit finds nothing
        Audit.Report report = new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60)).run();
        assertThat(report.violations()).isEmpty();
        // (the 36 published and the claim call: the 21 unreadable ones answered by their dead letters)
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line)
                .contains("37 writes (21 dead-lettered, 0 too recent to tell, 0 undecided)"));
        System.out.printf("PoisonRecordsIT: %d records published to %d request topics, %d unreadable -> %d dead"
                        + " letters, %d readable -> %d decisions (%d INVALID_REQUEST), engine %s, violations %d%n",
                unreadable.size() + readable.size(), domains.size(), unreadable.size(), deadLetters.size(),
                readable.size(), decisions, expectedCode.size(), stack.engine().state(), report.violations().size());
    }

    private Unreadable unreadable(KafkaProducer<String, String> producer, Domain d, String key, String value,
                                  String reasonHolds, boolean keepsValue) throws Exception {
        RecordMetadata written = producer.send(new ProducerRecord<>(d.requestTopic(), key, value)).get();
        return new Unreadable(d.requestTopic(), written.partition(), written.offset(), reasonHolds, keepsValue);
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters() {
        return TestClients.readAllCommittedRecords(kafka.bootstrapServers(), topics.deadLetter(), Duration.ofSeconds(30));
    }

    /** The committed decisions of one domain's topic, by request id. */
    private Map<String, List<JsonNode>> decisionsOf(Domain d) {
        return TestClients.readAllCommittedRecords(kafka.bootstrapServers(), d.decisionTopic(), Duration.ofSeconds(30))
                .stream().map(record -> TestClients.json(record.value()))
                .collect(Collectors.groupingBy(decision -> decision.path("requestId").asText()));
    }

    private List<String> decisionKeys(Domain d) {
        return TestClients.readAllCommittedRecords(kafka.bootstrapServers(), d.decisionTopic(), Duration.ofSeconds(30))
                .stream().map(ConsumerRecord::key).distinct().toList();
    }

}
