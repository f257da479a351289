package dev.tally.gateway.http;

import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.Reply;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.UsageRequest;
import java.nio.charset.StandardCharsets;

/** Replies shaped like the engine's, with bytes a test can compare the HTTP body against. */
final class EngineReplies {

    private EngineReplies() {
    }

    static Reply decision(UsageRequest request, DecisionCode code) {
        return decision(request, code.name(), code.outcome().name());
    }

    static Reply decision(UsageRequest request, String code, String outcome) {
        String json = "{\"requestId\":\"" + request.requestId() + "\",\"outcome\":\"" + outcome + "\",\"code\":\""
                + code + "\",\"workspace\":\"" + request.workspace() + "\",\"message\":\"from the engine\"}";
        return new Reply(code, TallyHeaders.KIND_DECISION, json.getBytes(StandardCharsets.UTF_8));
    }

    static Reply report(UsageRequest request) {
        String json = "{\"requestId\":\"" + request.requestId() + "\",\"workspace\":\"" + request.workspace()
                + "\",\"features\":[],\"readAt\":\"2025-01-01T00:00:00Z\"}";
        return new Reply(DecisionCode.OK.name(), TallyHeaders.KIND_REPORT, json.getBytes(StandardCharsets.UTF_8));
    }

    static Reply ok(UsageRequest request) {
        return decision(request, DecisionCode.OK);
    }
}
