package dev.tally.launcher.audit;

/**
 * Thrown where the decisions do not give {@link UsageByEffectiveLimits} what it needs: the workspace leaves the
 * model, from that record on. Its message is the reason the summary counts; there are two:
 * <ul>
 *   <li>A direct limit set while an unlimited add-on is active: decisions do not echo a {@code set-limit}'s
 *       request, so the model reads the direct limit back from the decision's figures (its effective limit less
 *       the model's add-ons and live boosts, with its period and enforcement); under an unlimited add-on the
 *       decision reports UNLIMITED and no limit at all. The workspace leaves once the rule would need that value
 *       (the unlimited add-on is gone). For the same reason a {@code set-limit} decision that misreports its own
 *       limit is taken as the limit set.</li>
 *   <li>A log that contradicts what the model holds, so that it can no longer tell what the engine holds: a
 *       reservation ended twice, or ended or committed without having been made; a package cancelled that was
 *       never provisioned; a base package replaced that is not the model's base; a direct limit whose decision
 *       reports less than the model's add-ons and boosts. Each is also reported as a violation.</li>
 * </ul>
 */
final class ModelCannotFollow extends RuntimeException {

    private static final String HIDDEN_DIRECT_LIMIT = "a direct limit set under an unlimited add-on, whose value no"
            + " decision showed, was needed";
    private static final String LOG_CONTRADICTS_MODEL = "its log contradicts the model (see the violations)";

    private ModelCannotFollow(String reason) {
        super(reason, null, false, false);
    }

    static ModelCannotFollow hiddenDirectLimit() {
        return new ModelCannotFollow(HIDDEN_DIRECT_LIMIT);
    }

    static ModelCannotFollow logContradictsModel() {
        return new ModelCannotFollow(LOG_CONTRADICTS_MODEL);
    }
}
