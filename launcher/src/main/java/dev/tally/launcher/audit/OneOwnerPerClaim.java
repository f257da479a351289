package dev.tally.launcher.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * I3: a claim has at most one live owner. Replays the claim decisions of each key in order:
 * <ul>
 *   <li>a claim (CLAIMED) while another owner's claim is live is a violation;</li>
 *   <li>a release (RELEASED) frees the value, and must be its live owner's;</li>
 *   <li>a hold's end (HOLD_EXPIRED) frees the value, and must end a hold: a confirmed or never-held claim
 *   does not run out;</li>
 *   <li>a confirmation (CONFIRMED) makes the live owner's claim active;</li>
 *   <li>every answer that names the claim it found (CLAIM_EXISTS, ALREADY_CLAIMED, NOT_OWNER, CONFIRMED)
 *   must name the live owner.</li>
 * </ul>
 */
final class OneOwnerPerClaim implements Check {

    private final Map<String, Live> live = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long claimed;
    private long freed;

    /** @param held whether it is a hold waiting for confirmation (PENDING), the only kind that expires */
    private record Live(String owner, boolean held, String position) {
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
        boolean pending = "PENDING".equals(record.body().path("claim").path("status").asText(null));
        String key = record.key();
        Live current = live.get(key);
        switch (code) {
            case "CLAIMED" -> {
                claimed++;
                if (current != null && !current.owner().equals(owner)) {
                    violations.add(new Violation("I3", "'" + key + "' claimed by " + owner + " while "
                            + current.owner() + " held it", List.of(current.position(), record.position())));
                }
                live.put(key, new Live(owner, pending, record.position()));
            }
            case "RELEASED" -> {
                freed++;
                String releasedBy = record.text("requestedBy");
                if (current != null && !current.owner().equals(releasedBy)) {
                    violations.add(new Violation("I3", "'" + key + "' released by " + releasedBy + " while "
                            + current.owner() + " held it", List.of(current.position(), record.position())));
                }
                live.remove(key);
            }
            case "HOLD_EXPIRED" -> {
                freed++;
                if (current != null && !current.held()) {
                    violations.add(new Violation("I3", "'" + key + "', " + current.owner() + "'s active claim,"
                            + " expired as if it were a hold", List.of(current.position(), record.position())));
                }
                live.remove(key);
            }
            case "CONFIRMED" -> {
                mustNameTheLiveOwner(record, code, owner, current);
                if (current != null && current.owner().equals(owner)) {
                    live.put(key, new Live(owner, false, current.position()));
                }
            }
            case "CLAIM_EXISTS", "ALREADY_CLAIMED", "NOT_OWNER" -> mustNameTheLiveOwner(record, code, owner, current);
            default -> {
                // Other refusals name no claim and change no owner.
            }
        }
    }

    private void mustNameTheLiveOwner(LoggedRecord record, String code, String owner, Live current) {
        if (current == null || !current.owner().equals(owner)) {
            violations.add(new Violation("I3", "'" + record.key() + "' answered " + code + " as " + owner
                    + "'s, but the log has " + (current == null ? "no live claim" : current.owner() + "'s"),
                    current == null ? List.of(record.position()) : List.of(current.position(), record.position())));
        }
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT,
                "I3 one live owner per claim: %,d claims made, %,d freed, %,d live at the end",
                claimed, freed, live.size());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
