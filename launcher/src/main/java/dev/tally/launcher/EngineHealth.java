package dev.tally.launcher;

import dev.tally.topology.TallyEngine;
import org.apache.kafka.streams.KafkaStreams;

/** Whether a started engine still decides: a process whose engine died must exit, not hang. */
final class EngineHealth {

    private EngineHealth() {
    }

    /** What is wrong with the engine now, or null while it runs or rebalances. */
    static String problem(TallyEngine engine) {
        KafkaStreams.State state = engine.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING) {
            return "engine is " + state;
        }
        return null;
    }
}
