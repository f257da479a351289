package dev.tally.gateway;

import java.util.Objects;

/**
 * The engine's answer to one call, as it arrived: the decision code and the kind from the reply's
 * headers, and the JSON body untouched, so the gateway passes it through without parsing it.
 *
 * @param code a {@code DecisionCode} name ({@code OK} for reports); text, because an engine newer than
 *             this gateway may send a code it does not know yet
 * @param kind {@code decision} or {@code report}
 */
public record Reply(String code, String kind, byte[] body) {

    public Reply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
    }
}
