package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Composite bookings over overlapping staff, as concurrent HTTP calls against a real broker. */
class CompositesIT extends RunningStack {

    @Override
    protected String name() {
        return "composites";
    }

    @Test
    void concurrentCompositesOverOverlappingStaffNeverDoubleBookAndLeaveNoHolds() {
        // Given three staff members with one place an hour
        String run = TestNames.random(6);
        List<String> staff = List.of("ann-" + run, "bob-" + run, "cat-" + run);
        staff.forEach(s -> assertThat(http.put("/v1/resources/" + s,
                "{\"capacity\":1,\"slot\":\"HOUR\",\"timezone\":\"UTC\"}").status()).isEqualTo(200));

        // When thirty composites, each wanting two of the three at the same hour, arrive at once
        List<CompletableFuture<Response>> calls = IntStream.range(0, 30).mapToObj(i -> {
            String a = staff.get(i % 3);
            String b = staff.get((i + 1 + i / 3 % 2) % 3);
            return http.postAsync("/v1/composite-bookings", "{\"segments\":["
                    + "{\"resource\":\"" + a + "\",\"from\":\"2026-10-18T09:00\",\"to\":\"2026-10-18T10:00\",\"quantity\":1},"
                    + "{\"resource\":\"" + b + "\",\"from\":\"2026-10-18T09:00\",\"to\":\"2026-10-18T10:00\",\"quantity\":1}]}");
        }).toList();
        List<Response> responses = calls.stream().map(CompletableFuture::join).toList();

        // Then every call was decided, at most one composite got its pair (any two pairs share someone),
        // and what the staff hold is exactly the booked composites' segments: no hold was left behind
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isIn(201, 409));
        long booked = responses.stream().filter(r -> DecisionCode.COMPOSITE_BOOKED.name().equals(r.text("code"))).count();
        assertThat(booked).isLessThanOrEqualTo(1);
        long used = staff.stream().mapToLong(s -> http.get("/v1/resources/" + s
                + "/availability?from=2026-10-18T09:00&to=2026-10-18T10:00").body().path("slots").get(0)
                .path("used").asLong()).sum();
        assertThat(used).isEqualTo(2 * booked);

        // And the audit agrees: 30 composites decided all or nothing, every request answered
        Audit.Report report = new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60)).run();
        assertThat(report.violations()).isEmpty();
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line)
                .contains("30 decided (" + booked + " booked, " + (30 - booked) + " not)"));
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains("0 undecided)"));
    }
}
