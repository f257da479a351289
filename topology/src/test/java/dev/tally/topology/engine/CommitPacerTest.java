package dev.tally.topology.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitPacerTest {

    /** The thread's commit count, as the test moves it. */
    private double commits;
    private final CommitPacer.Pace pace = new CommitPacer.Pace(() -> commits);

    @Test
    void a_lone_reply_asks_at_once_and_replies_before_that_commit_ask_nothing_more() {
        assertThat(pace.afterReply(1_000)).as("first reply").isTrue();
        assertThat(pace.afterReply(1_000)).as("same iteration: the asked commit carries it").isFalse();
        assertThat(pace.owed(1_010)).as("nothing owed").isFalse();
    }

    @Test
    void after_a_commit_the_next_ask_waits_as_long_as_that_commit_took() {
        pace.afterReply(1_000);
        commits++; // the commit happens...
        assertThat(pace.afterReply(1_040)).as("...seen 40 ms after the ask: wait 40 ms more").isFalse();
        assertThat(pace.owed(1_060)).as("20 ms after the end").isFalse();
        assertThat(pace.owed(1_080)).as("40 ms after the end").isTrue();
        assertThat(pace.owed(1_085)).as("asked already").isFalse();
    }

    @Test
    void the_gap_is_at_least_the_minimum_even_after_a_fast_commit() {
        pace.afterReply(1_000);
        commits++;
        assertThat(pace.afterReply(1_001)).isFalse();
        assertThat(pace.owed(1_001 + CommitPacer.MIN_GAP_MS - 1)).isFalse();
        assertThat(pace.owed(1_001 + CommitPacer.MIN_GAP_MS)).isTrue();
    }

    @Test
    void a_commit_at_the_interval_settles_what_was_owed() {
        pace.afterReply(1_000);
        commits++;
        assertThat(pace.afterReply(1_050)).as("owed: inside the gap").isFalse();
        commits++; // the interval's commit carries it
        assertThat(pace.owed(2_000)).as("nothing left to ask for").isFalse();
        assertThat(pace.afterReply(2_000)).as("a new reply asks at once").isTrue();
    }
}
