package dev.tally.gateway.http;

import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.Reply;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Request;
import java.nio.charset.StandardCharsets;

/** Replies shaped like the engine's, with bytes a test can compare the HTTP body against. */
final class EngineReplies {

    private EngineReplies() {
    }

    static Reply decision(Request request, DecisionCode code) {
        return decision(request, code.name(), code.outcome().name());
    }

    static Reply decision(Request request, String code, String outcome) {
        String json = "{\"requestId\":\"" + request.requestId() + "\",\"outcome\":\"" + outcome + "\",\"code\":\""
                + code + "\",\"key\":\"" + request.entityKey() + "\",\"message\":\"from the engine\"}";
        return new Reply(code, TallyHeaders.KIND_DECISION, json.getBytes(StandardCharsets.UTF_8));
    }

    static Reply report(Request request) {
        String json = "{\"requestId\":\"" + request.requestId() + "\",\"key\":\"" + request.entityKey()
                + "\",\"readAt\":\"2025-01-01T00:00:00Z\"}";
        return new Reply(DecisionCode.OK.name(), TallyHeaders.KIND_REPORT, json.getBytes(StandardCharsets.UTF_8));
    }

    static Reply ok(Request request) {
        return decision(request, DecisionCode.OK);
    }
}
