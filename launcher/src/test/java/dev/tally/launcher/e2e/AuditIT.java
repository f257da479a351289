package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.launcher.Tally;
import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.audit.Violation;
import dev.tally.launcher.audit.WhatIfChange;
import dev.tally.launcher.audit.WhatIfFile;
import dev.tally.launcher.testing.CliRun;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final String room = "room-" + TestNames.random(6);
    private final String workspace = "ws-" + TestNames.random(6);
    /** A workspace whose limit comes from packages and a boost, with a namespace and a reservation. */
    private final String tenant = "ent-" + TestNames.random(6);
    /** The room's three bookings, in the order their calls were made: the first is moved, the second cancelled. */
    private List<String> booked;

    @Override
    protected String name() {
        return "audit";
    }

    private Audit.Report audit() {
        return new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60)).run();
    }

    /** Writes a decision as a bug would, straight to its topic; returns where it landed, as the audit names it. */
    private String forge(String topic, String key, String json) throws Exception {
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
            var written = producer.send(new ProducerRecord<>(topic, key, json)).get();
            return TallyHeaders.position(topic, written.partition(), written.offset());
        }
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
        // And 12 concurrent bookings of one hour of a room that holds 3, then a move and a cancel
        assertThat(http.put("/v1/resources/" + room, "{\"capacity\":3,\"slot\":\"HOUR\",\"timezone\":\"UTC\"}")
                .status()).isEqualTo(200);
        List<CompletableFuture<Response>> bookings = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bookings.add(http.postAsync("/v1/resources/" + room + "/bookings", "{\"from\":\"2026-12-01T09:00:00Z\","
                    + "\"to\":\"2026-12-01T10:00:00Z\",\"quantity\":1,\"userId\":\"u-" + i + "\"}"));
        }
        booked = bookings.stream().map(CompletableFuture::join).filter(r -> r.status() == 201)
                .map(r -> r.body().path("booking").path("bookingId").asText()).toList();
        assertThat(booked).hasSize(3);
        String bookingsPath = "/v1/resources/" + room + "/bookings/";
        assertThat(http.post(bookingsPath + booked.get(0) + "/reschedule",
                "{\"from\":\"2026-12-01T10:00:00Z\",\"to\":\"2026-12-01T11:00:00Z\"}").status()).isEqualTo(200);
        assertThat(http.delete(bookingsPath + booked.get(1) + "?expectedVersion=1").status()).isEqualTo(200);
        // And 15 concurrent usage records of 1 against a HARD limit of 10 (LIFETIME, as every limit here: a month
        // that ended between these calls and the forged records of later tests would start the count again)
        assertThat(http.put("/v1/workspaces/" + workspace + "/limits/ai.tokens",
                "{\"limit\":10,\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}").status()).isEqualTo(200);
        List<CompletableFuture<Response>> usage = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            usage.add(http.postAsync("/v1/workspaces/" + workspace + "/usage",
                    "{\"feature\":\"ai.tokens\",\"amount\":1}"));
        }
        assertThat(usage.stream().map(CompletableFuture::join).filter(r -> r.status() == 200)).hasSize(10);
        // And a tenant on a base package of 6 tokens, an add-on of 3 and a boost of 1 (10 in all), whose namespace
        // eu has a limit of 4: 8 concurrent records in eu (4 fit), a reservation of 3 committed at 2, then 8
        // concurrent records in the workspace (4 fit: eu's 4 count there too)
        String tenantPath = "/v1/workspaces/" + tenant;
        assertThat(http.post(tenantPath + "/packages", "{\"packageCode\":\"starter\",\"base\":true,\"features\":"
                + "{\"ai.tokens\":{\"limit\":6,\"period\":\"LIFETIME\"}}}").status()).isEqualTo(200);
        assertThat(http.post(tenantPath + "/packages", "{\"packageCode\":\"more\",\"features\":"
                + "{\"ai.tokens\":{\"limit\":3,\"period\":\"LIFETIME\"}}}").status()).isEqualTo(200);
        assertThat(http.post(tenantPath + "/boosts", "{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":"
                + "\"b-1\"}").status()).isEqualTo(200);
        assertThat(http.put(tenantPath + "/namespaces/eu/limits/ai.tokens", "{\"limit\":4,\"period\":\"LIFETIME\"}")
                .status()).isEqualTo(200);
        assertThat(concurrentUsage(tenantPath, ",\"namespace\":\"eu\"")).isEqualTo(4);
        assertThat(http.post(tenantPath + "/reservations", "{\"feature\":\"ai.tokens\",\"amount\":3,\"ttlSeconds\":"
                + "300,\"requestId\":\"job-1\"}").status()).isEqualTo(201);
        assertThat(http.post(tenantPath + "/reservations/job-1/commit", "{\"amount\":2}").status()).isEqualTo(200);
        assertThat(concurrentUsage(tenantPath, "")).isEqualTo(4);
        // (a call is answered once its decision is committed, so the audit can read every one of them)

        // When the audit replays the log
        Audit.Report report = audit();

        // Then nothing is broken: one claim made, 30 decisions for 30 ids
        report.print(System.out);
        assertThat(report.violations()).isEmpty();
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains("1 claims made"));
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains("4 taken, 1 ended"));
        // (10 and 4 + 1 reservation + 4 accepted under HARD limits; the commit of 2 of 3 reserved adds nothing)
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains("19 additions checked"));
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains("31 usage records, 1"
                + " reservations and 1 commits checked, 0 workspaces left"));
        // (60 claim calls, 15 booking calls, 16 + 22 usage calls: every one of them answered, none still pending)
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line)
                .contains("113 writes (0 dead-lettered, 0 too recent to tell, 0 undecided)"));
        assertThat(Tally.run("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix())).isEqualTo(Tally.EXIT_OK);
    }

    /** Records 8 usage records of 1 at once; returns how many were accepted. */
    private long concurrentUsage(String workspacePath, String extraFields) {
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(http.postAsync(workspacePath + "/usage", "{\"feature\":\"ai.tokens\",\"amount\":1"
                    + extraFields + "}"));
        }
        return calls.stream().map(CompletableFuture::join).filter(r -> r.status() == 200).count();
    }

    @Test
    @Order(2)
    void whatIfReplaysTheUsageAgainstOtherLimitsAndListsTheDecisionsThatWouldChange() throws Exception {
        // Given the log of 15 usage records of 1 against a HARD limit of 10 (10 accepted, 5 rejected)
        // When the usage is replayed against 12, then 7, and the CLI gets a file that is not a limit file
        Audit audit = new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60));
        Audit.WhatIfReport higher = audit.whatIf(WhatIfFile.parse(List.of("limit " + workspace + " ai.tokens 12")));
        Audit.WhatIfReport lower = audit.whatIf(WhatIfFile.parse(List.of("limit " + workspace + " ai.tokens 7")));
        Path notLimits = Files.writeString(Files.createTempFile("what-if", ".txt"), "seats desk-4 3\n");

        // Then the first 2 rejections would be accepted at 12, the last 3 accepts rejected at 7
        higher.print(System.out);
        // (the tenant's 16 are replayed against their own limits, and change nothing)
        assertThat(higher.usageReplayed()).isEqualTo(31);
        assertThat(higher.changes()).hasSize(2).allSatisfy(change -> {
            assertThat(change.was()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(change.wouldBe()).isEqualTo("OK");
        });
        assertThat(lower.changes()).hasSize(3)
                .allSatisfy(change -> assertThat(change.wouldBe()).isEqualTo("QUOTA_EXCEEDED"));
        // And the CLI refuses the other file as a usage error
        assertThat(Tally.run("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix(), "--what-if", notLimits.toString())).isEqualTo(Tally.EXIT_USAGE);
    }

    @Test
    @Order(3)
    void whatIfReplaysTheBookingsAgainstOtherCapacities() throws Exception {
        // Given the log of 12 bookings of one hour of a room that holds 3 (3 booked, 9 refused), one of the three
        // moved to the next hour and one cancelled
        Audit audit = new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60));

        // When the bookings are replayed against a room of 5, then of 2
        Audit.WhatIfReport larger = audit.whatIf(WhatIfFile.parse(List.of("capacity " + room + " 5")));
        Audit.WhatIfReport smaller = audit.whatIf(WhatIfFile.parse(List.of("capacity " + room + " 2")));

        // Then at 5 the first 2 refusals would be bookings (their ranges read from the request topic)
        larger.print(System.out);
        assertThat(larger.bookingsReplayed()).isEqualTo(14);
        assertThat(larger.changes()).hasSize(2).allSatisfy(change -> {
            assertThat(change.was()).isEqualTo("AVAILABILITY_CONFLICT");
            assertThat(change.wouldBe()).isEqualTo("BOOKED");
            assertThat(change.subject()).contains("2026-12-01T09:00:00Z..2026-12-01T10:00:00Z");
        });
        // And at 2 the third booking in the log would be refused, and so would the move or the cancel of it
        smaller.print(System.out);
        WhatIfChange refused = smaller.changes().get(0);
        assertThat(refused.was()).isEqualTo("BOOKED");
        assertThat(refused.wouldBe()).isEqualTo("AVAILABILITY_CONFLICT");
        List<WhatIfChange> later = smaller.changes().subList(1, smaller.changes().size());
        if (refused.requestId().equals(booked.get(2))) {
            assertThat(later).isEmpty();
        } else {
            String laterChange = refused.requestId().equals(booked.get(0)) ? " reschedule " : " cancel ";
            assertThat(later).singleElement().satisfies(change -> {
                assertThat(change.subject()).contains(laterChange + refused.requestId());
                assertThat(change.wouldBe()).isEqualTo("BOOKING_NOT_FOUND");
            });
        }
        // And the CLI takes a file of both kinds
        Path both = Files.writeString(Files.createTempFile("what-if", ".txt"),
                "limit " + workspace + " ai.tokens 12\ncapacity " + room + " 5\n");
        assertThat(Tally.run("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix(), "--what-if", both.toString())).isEqualTo(Tally.EXIT_OK);
    }

    @Test
    @Order(4)
    void aBookingPastTheRoomsCapacityIsAViolationNamingTheBookingsThatShareTheHour() throws Exception {
        // Given a log where a bug booked 3 places from 09:30 to 10:30, over the booking left at 09:00-10:00
        // and the one moved to 10:00-11:00, in a room that holds 3
        String forged = "{\"requestId\":\"forged-booking\",\"type\":\"book\",\"outcome\":\"ACCEPTED\","
                + "\"code\":\"BOOKED\",\"message\":\"forged\",\"resource\":\"" + room + "\",\"capacity\":3,"
                + "\"booking\":{\"resource\":\"" + room + "\",\"bookingId\":\"forged\",\"from\":"
                + "\"2026-12-01T09:30:00Z\",\"to\":\"2026-12-01T10:30:00Z\",\"quantity\":3,\"userId\":\"intruder\","
                + "\"version\":1,\"status\":\"BOOKED\",\"bookedAt\":\"2026-11-23T00:00:00Z\"},"
                + "\"decidedAt\":\"2026-11-23T00:00:00Z\"}";
        String position = forge(topics.bookingDecisions(), room, forged);

        // When the audit replays the log
        Audit.Report report = audit();

        // Then I2 is broken once, in the 09:00 slot (the first one past capacity), naming the two records there
        report.print(System.out);
        assertThat(report.violations()).extracting(Violation::invariant).containsExactly("I2");
        Violation violation = report.violations().get(0);
        assertThat(violation.what()).contains("holds 4 of 3 in the slot starting 2026-12-01T09:00:00Z");
        assertThat(violation.positions()).hasSize(2).contains(position);
    }

    @Test
    @Order(5)
    void usageAcceptedPastAHardLimitIsAViolationNamingItsRecord() throws Exception {
        // Given a log where a bug accepted an 11th token against the HARD limit of 10
        String forged = "{\"requestId\":\"forged-usage\",\"type\":\"record-usage\",\"outcome\":\"ACCEPTED\","
                + "\"code\":\"OK\",\"message\":\"forged\",\"workspace\":\"" + workspace + "\",\"feature\":"
                + "\"ai.tokens\",\"amount\":1,\"scope\":\"workspace\",\"used\":11,\"reserved\":0,\"limit\":10,"
                + "\"remaining\":0,\"enforcement\":\"HARD\",\"decidedAt\":\"2026-11-23T00:00:00Z\"}";
        String position = forge(topics.usageDecisions(), workspace, forged);
        // ... and a 12th that reports a limit of 20 it never had, so its own figures look fine
        String misreported = forge(topics.usageDecisions(), workspace, forged.replace("forged-usage", "forged-usage-2")
                .replace("\"used\":11", "\"used\":12").replace("\"limit\":10", "\"limit\":20"));
        // ... and one for the tenant, whose 10 tokens (packages and a boost) are used up, reporting a limit of 20
        String tenantMisreported = forge(topics.usageDecisions(), tenant, forged.replace("forged-usage", "forged-usage-3")
                .replace(workspace, tenant).replace("\"used\":11", "\"used\":11,\"kind\":\"METERED\"")
                .replace("\"limit\":10", "\"limit\":20"));

        // When the audit replays the log
        Audit.Report report = audit();

        // Then I1 is broken at the first by its own figures and by the model of the limit; at the second and third
        // by the model alone
        report.print(System.out);
        List<Violation> i1 = report.violations().stream().filter(v -> v.invariant().equals("I1")).toList();
        assertThat(i1).extracting(Violation::positions).containsExactlyInAnyOrder(List.of(position), List.of(position),
                List.of(misreported), List.of(tenantMisreported));
        assertThat(i1).anySatisfy(v -> assertThat(v.what()).contains("11 used + 0 reserved, past its HARD limit 10"));
        assertThat(i1).filteredOn(v -> v.positions().contains(misreported)).singleElement()
                .satisfies(v -> assertThat(v.what()).contains("11 used + 0 reserved of 10 (HARD) was accepted past"));
        assertThat(i1).filteredOn(v -> v.positions().contains(tenantMisreported)).singleElement()
                .satisfies(v -> assertThat(v.what()).contains("10 used + 0 reserved of 10 (HARD) was accepted past"));
    }

    @Test
    @Order(6)
    void aSecondDecisionForOneRequestIdAndASecondOwnerAreViolationsNamingTheirRecords() throws Exception {
        // Given a log where a bug decided claim-0 twice, the second time for another owner
        String key = "tenant-slug/" + slug;
        String forged = "{\"requestId\":\"claim-0\",\"type\":\"create-claim\",\"outcome\":\"ACCEPTED\","
                + "\"code\":\"CLAIMED\",\"message\":\"forged\",\"scope\":\"tenant-slug\",\"value\":\"" + slug + "\","
                + "\"requestedBy\":\"intruder\",\"created\":true,\"claim\":{\"scope\":\"tenant-slug\",\"value\":\""
                + slug + "\",\"owner\":\"intruder\",\"status\":\"ACTIVE\",\"claimedAt\":\"2026-11-23T00:00:00Z\","
                + "\"claimRequestId\":\"claim-0\"},\"decidedAt\":\"2026-11-23T00:00:00Z\"}";
        String position = forge(topics.claimDecisions(), key, forged);

        // When the audit replays the log
        Audit.Report report = audit();

        // Then it reports both invariants, pointing at the forged record, and the command exits 1
        report.print(System.out);
        assertThat(report.violations()).extracting(Violation::invariant).contains("I4", "I3");
        // (the forged booking and usage of the tests before are still in the log, and still reported)
        assertThat(report.violations()).filteredOn(v -> v.invariant().equals("I3") || v.invariant().equals("I4"))
                .allSatisfy(v -> assertThat(v.positions()).contains(position));
        CliRun run = CliRun.of("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix());
        assertThat(run.code()).as(run.err()).isEqualTo(Tally.EXIT_FAILED);
        // And what the command prints names each broken invariant with the forged record's position
        assertThat(run.out().lines().filter(line -> line.startsWith("VIOLATION I3: ")).toList())
                .anySatisfy(line -> assertThat(line).contains(position));
        assertThat(run.out().lines().filter(line -> line.startsWith("VIOLATION I4: ")).toList())
                .anySatisfy(line -> assertThat(line).contains(position));
        assertThat(run.out()).contains("audit: " + report.violations().size() + " violation(s)");
    }
}
