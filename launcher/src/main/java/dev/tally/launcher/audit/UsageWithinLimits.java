package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * I1, as far as the decision topic alone can show it: every accepted decision that adds to a feature's
 * usage or reservations under a HARD limit (a usage record, a reservation, a commit of more than was
 * reserved) reports its binding scope's used plus reserved within that scope's limit. The limit is the
 * one the decision reports, not one this check derives from packages and boosts: a wrong effective limit
 * is not caught here. Decisions that add nothing (a commit of at most the reserved amount, a release) are
 * not checked, since a limit lowered under existing usage leaves it past the limit by design.
 */
final class UsageWithinLimits implements Check {

    private final List<Violation> violations = new ArrayList<>();
    private long checked;

    @Override
    public List<String> topics() {
        return List.of("usage.decisions");
    }

    @Override
    public void accept(LoggedRecord record) {
        JsonNode body = record.body();
        if (!"HARD".equals(record.text("enforcement")) || !body.path("limit").isNumber() || !addsToUsage(record)) {
            return;
        }
        checked++;
        long used = body.path("used").asLong();
        long reserved = body.path("reserved").asLong();
        long limit = body.path("limit").asLong();
        if (used + reserved > limit) {
            violations.add(new Violation("I1", "'" + record.key() + "' " + record.text("feature") + " ("
                    + record.text("scope") + ") accepted to " + used + " used + " + reserved + " reserved, past its"
                    + " HARD limit " + limit, List.of(record.position())));
        }
    }

    private static boolean addsToUsage(LoggedRecord record) {
        String code = record.text("code");
        if (code == null) {
            return false;
        }
        return switch (code) {
            // SOFT_LIMIT_EXCEEDED is an accepted addition too: the code the engine gives when some scope is
            // past its limit, which the decision's HARD scope must not be.
            case "OK", "SOFT_LIMIT_EXCEEDED" -> record.body().path("amount").asLong() > 0;
            case "RESERVED" -> true;
            case "RESERVATION_COMMITTED" -> {
                JsonNode reservation = record.body().path("reservation");
                yield reservation.path("committed").asLong() > reservation.path("amount").asLong();
            }
            default -> false;
        };
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT,
                "I1 usage within HARD limits (limits as decisions report them): %,d additions checked",
                checked);
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
