package dev.tally.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.RequestLogContext;
import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.Reply;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.Outcome;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP status of an engine reply, from its code: accepted 200, rejected 409, unless the table below
 * says otherwise: 201 for a code that created something, 404 for one that found nothing to address.
 */
final class ReplyStatus {

    private static final Logger log = LoggerFactory.getLogger(ReplyStatus.class);

    private static final Map<DecisionCode, Integer> NOT_BY_OUTCOME = new EnumMap<>(Map.ofEntries(
            Map.entry(DecisionCode.INVALID_REQUEST, 400),
            Map.entry(DecisionCode.CLAIMED, 201),
            Map.entry(DecisionCode.CLAIM_NOT_FOUND, 404),
            Map.entry(DecisionCode.BOOKED, 201),
            Map.entry(DecisionCode.COMPOSITE_BOOKED, 201),
            Map.entry(DecisionCode.RESOURCE_NOT_FOUND, 404),
            Map.entry(DecisionCode.BOOKING_NOT_FOUND, 404),
            Map.entry(DecisionCode.RESERVED, 201),
            Map.entry(DecisionCode.RESERVATION_NOT_FOUND, 404),
            Map.entry(DecisionCode.PACKAGE_NOT_FOUND, 404)));

    private ReplyStatus() {
    }

    static int of(Reply reply, String requestId) {
        if (TallyHeaders.KIND_REPORT.equals(reply.kind())) {
            return 200;
        }
        DecisionCode code;
        try {
            code = DecisionCode.valueOf(reply.code());
        } catch (IllegalArgumentException e) {
            return byBodyOutcome(reply, requestId);
        }
        Integer status = NOT_BY_OUTCOME.get(code);
        if (status != null) {
            return status;
        }
        return byOutcome(code.outcome());
    }

    private static int byOutcome(Outcome outcome) {
        return outcome == Outcome.ACCEPTED ? 200 : 409;
    }

    /**
     * An engine newer than this gateway sent a code it does not know: the decision's own outcome still
     * says accepted or rejected. The only path that parses a reply, and a rare one.
     */
    private static int byBodyOutcome(Reply reply, String requestId) {
        try (RequestLogContext.Scope named = RequestLogContext.of(requestId)) {
            log.warn("reply code {} is unknown to this gateway; status taken from the decision's outcome",
                    reply.code());
        }
        try {
            JsonNode outcome = Json.mapper().readTree(reply.body()).path("outcome");
            return byOutcome(Outcome.ACCEPTED.name().equals(outcome.asText()) ? Outcome.ACCEPTED : Outcome.REJECTED);
        } catch (IOException e) {
            return 409;
        }
    }
}
