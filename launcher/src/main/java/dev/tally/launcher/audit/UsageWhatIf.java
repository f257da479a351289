package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays the usage records decided under HARD limits, in each partition's order, against the limits of a
 * {@link WhatIfFile}, and lists the decisions that would change. Each decision echoes its request
 * (amount, scope, period) and reports the scope's usage and reservations as they were: the replay keeps,
 * per scope, feature and period, how much less (or more) would have been used, and decides each record again
 * against the file's limit where it sets one, the decision's own limit elsewhere. Reservations, commits and
 * limit changes count as they happened.
 */
final class UsageWhatIf {

    private final WhatIfFile limits;
    /** Per scope, feature and period: what-if usage minus actual usage so far. */
    private final Map<String, Long> difference = new HashMap<>();
    private final List<WhatIfChange> changes = new ArrayList<>();
    private long replayed;
    /** Usage records the replay cannot decide again: no HARD limit, a dry run, a refusal for another reason. */
    private long notReplayed;

    UsageWhatIf(WhatIfFile limits) {
        this.limits = limits;
    }

    void accept(LoggedRecord record) {
        JsonNode body = record.body();
        String code = record.text("code");
        boolean accepted = "OK".equals(code);
        if (!"record-usage".equals(record.text("type"))) {
            return;
        }
        if (body.path("dryRun").asBoolean(false) || !"HARD".equals(record.text("enforcement"))
                || !body.path("limit").isNumber() || !(accepted || "QUOTA_EXCEEDED".equals(code))) {
            // Under no HARD limit (none, unlimited, disabled, SOFT) there is no used-before figure to decide
            // from again, and a dry run or a refusal for another reason does not turn on the limit.
            notReplayed++;
            return;
        }
        replayed++;
        String workspace = record.text("workspace");
        String scope = record.text("scope");
        String feature = record.text("feature");
        long amount = body.path("amount").asLong();
        String key = workspace + "|" + scope + "|" + feature + "|" + record.text("periodStart");
        long usedBefore = body.path("used").asLong() - (accepted ? amount : 0);
        long whatIfUsedBefore = usedBefore + difference.getOrDefault(key, 0L);
        Optional<Long> otherLimit = limits.limitOf(workspace, scope, feature);
        long limit = otherLimit.orElse(body.path("limit").asLong());
        boolean wouldAccept = whatIfUsedBefore + body.path("reserved").asLong() + amount <= limit;
        difference.merge(key, (wouldAccept ? amount : 0) - (accepted ? amount : 0), Long::sum);
        if (wouldAccept != accepted) {
            changes.add(new WhatIfChange(record.position(), record.text("requestId"), workspace + " " + feature + " ("
                    + scope + ") amount " + amount, code, wouldAccept ? "OK" : "QUOTA_EXCEEDED"));
        }
    }

    long replayed() {
        return replayed;
    }

    long notReplayed() {
        return notReplayed;
    }

    List<WhatIfChange> changes() {
        return changes;
    }
}
