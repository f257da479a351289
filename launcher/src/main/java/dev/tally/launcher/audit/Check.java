package dev.tally.launcher.audit;

import java.util.List;

/**
 * One invariant, checked by replaying the records of the topics it reads, in each partition's order.
 * Checks keep their own small model of the state; none uses the engine's classes.
 */
interface Check {

    /** The topics (without prefix: {@code usage.decisions}) whose records this check reads. */
    List<String> topics();

    void accept(LoggedRecord record);

    /** What it counted, for the summary line. */
    String summary();

    List<Violation> violations();
}
