package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;

/** What a package or a direct limit grants one feature: metered, unlimited or a flag. */
record AuditedGrant(Long limit, String period, String enforcement, boolean unlimited, Boolean enabled) {

    static AuditedGrant of(JsonNode json) {
        Long limit = json.path("limit").isNumber() ? json.path("limit").asLong() : null;
        boolean unlimited = json.path("unlimited").asBoolean(false);
        String period = json.path("period").asText(unlimited ? "MONTH" : null);
        String enforcement = json.path("enforcement").asText(limit != null ? "HARD" : null);
        Boolean enabled = json.path("enabled").isBoolean() ? json.path("enabled").asBoolean() : null;
        return new AuditedGrant(limit, period, enforcement, unlimited, enabled);
    }

    boolean metered() {
        return limit != null;
    }

    boolean flag() {
        return limit == null && !unlimited && enabled != null;
    }
}
