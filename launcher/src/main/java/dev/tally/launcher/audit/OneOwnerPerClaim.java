package dev.tally.launcher.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * I3: a claim has at most one live owner. Replays the claim decisions of each key in order: a claim
 * (CLAIMED) while another owner's claim is live is a violation; a release (RELEASED) or a hold's end
 * (HOLD_EXPIRED) frees the value; a find (CLAIM_EXISTS) must name the live owner.
 */
final class OneOwnerPerClaim implements Check {

    private final Map<String, Live> live = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long claimed;
    private long freed;

    private record Live(String owner, String position) {
    }

    @Override
    public List<String> topics() {
        return List.of("claims.decisions");
    }

    @Override
    public void accept(LoggedRecord record) {
        String code = record.text("code");
        if (code == null) {
            return;
        }
        String owner = record.body().path("claim").path("owner").asText(null);
        Live current = live.get(record.key());
        switch (code) {
            case "CLAIMED" -> {
                claimed++;
                if (current != null && !current.owner().equals(owner)) {
                    violations.add(new Violation("I3", "'" + record.key() + "' claimed by " + owner + " while "
                            + current.owner() + " held it", List.of(current.position(), record.position())));
                }
                live.put(record.key(), new Live(owner, record.position()));
            }
            case "RELEASED", "HOLD_EXPIRED" -> {
                freed++;
                live.remove(record.key());
            }
            case "CLAIM_EXISTS" -> {
                if (current == null || !current.owner().equals(owner)) {
                    violations.add(new Violation("I3", "'" + record.key() + "' found as " + owner + "'s, but the"
                            + " log has " + (current == null ? "no live claim" : current.owner() + "'s"),
                            current == null ? List.of(record.position()) : List.of(current.position(),
                                    record.position())));
                }
            }
            default -> {
                // Rejections and confirmations change no owner.
            }
        }
    }

    @Override
    public String summary() {
        return String.format("I3 one live owner per claim: %,d claims made, %,d freed, %,d live at the end",
                claimed, freed, live.size());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
