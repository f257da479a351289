package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.launcher.Tally;
import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.audit.Violation;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The audit against a real broker: clean after real concurrent traffic, and it names the records when
 * the log breaks an invariant (records forged straight onto the decision topics, as a bug would write
 * them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT extends RunningStack {

    private final String slug = "slug-" + TestNames.random(6);

    @Override
    protected String name() {
        return "audit";
    }

    private Audit.Report audit() {
        return new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60)).run();
    }

    @Test
    @Order(1)
    void aLogOfConcurrentClaimsAndRetriesIsClean() {
        // Given 30 concurrent create-only claims of one slug, and a retry of each
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(http.postAsync("/v1/claims/tenant-slug", "{\"value\":\"" + slug + "\",\"owner\":\"ws_" + i
                    + "\",\"requestId\":\"claim-" + i + "\"}"));
        }
        calls.forEach(CompletableFuture::join);
        for (int i = 0; i < 30; i++) {
            Response retry = http.post("/v1/claims/tenant-slug", "{\"value\":\"" + slug + "\",\"owner\":\"ws_" + i
                    + "\",\"requestId\":\"claim-" + i + "\"}");
            assertThat(retry.status()).as(retry.raw()).isIn(201, 409);
        }
        // (a call is answered once its decision is committed, so the audit can read every one of them)

        // When the audit replays the log
        Audit.Report report = audit();

        // Then nothing is broken: one claim made, 30 decisions for 30 ids
        report.print(System.out);
        assertThat(report.violations()).isEmpty();
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains("1 claims made"));
        assertThat(Tally.run("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix())).isEqualTo(Tally.EXIT_OK);
    }

    @Test
    @Order(2)
    void aSecondDecisionForOneRequestIdAndASecondOwnerAreViolationsNamingTheirRecords() throws Exception {
        // Given a log where a bug decided claim-0 twice, the second time for another owner
        String key = "tenant-slug/" + slug;
        String forged = "{\"requestId\":\"claim-0\",\"type\":\"create-claim\",\"outcome\":\"ACCEPTED\","
                + "\"code\":\"CLAIMED\",\"message\":\"forged\",\"scope\":\"tenant-slug\",\"value\":\"" + slug + "\","
                + "\"requestedBy\":\"intruder\",\"created\":true,\"claim\":{\"scope\":\"tenant-slug\",\"value\":\""
                + slug + "\",\"owner\":\"intruder\",\"status\":\"ACTIVE\",\"claimedAt\":\"2026-11-23T00:00:00Z\","
                + "\"claimRequestId\":\"claim-0\"},\"decidedAt\":\"2026-11-23T00:00:00Z\"}";
        long offset;
        int partition;
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
            var written = producer.send(new ProducerRecord<>(topics.claimDecisions(), key, forged)).get();
            offset = written.offset();
            partition = written.partition();
        }

        // When the audit replays the log
        Audit.Report report = audit();

        // Then it reports both invariants, pointing at the forged record, and the command exits 1
        report.print(System.out);
        String position = topics.claimDecisions() + "-" + partition + "@" + offset;
        assertThat(report.violations()).extracting(Violation::invariant).contains("I4", "I3");
        assertThat(report.violations()).allSatisfy(v -> assertThat(v.positions()).contains(position));
        assertThat(Tally.run("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix())).isEqualTo(Tally.EXIT_FAILED);
    }
}
