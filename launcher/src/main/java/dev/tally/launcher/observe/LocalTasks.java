package dev.tally.launcher.observe;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The stream tasks one engine instance runs, as {@code GET /tasks} shows them: which request partitions it
 * decides (active) and which it keeps a warm copy of (standby), so that an operator can tell which instance
 * a partition's decisions wait on, and whether a standby is there to take over.
 *
 * @param state   the Kafka Streams state
 * @param active  the tasks it decides, by task id
 * @param standby the tasks whose stores it keeps up to date for another instance's active copy
 */
public record LocalTasks(String state, List<Task> active, List<Task> standby) {

    /** @param partitions the task's input partitions, as {@code topic-partition} */
    public record Task(String id, List<String> partitions) {
    }

    /** What {@code streams} runs now; a thread that is starting or stopping lists nothing. */
    public static LocalTasks of(KafkaStreams streams) {
        Set<ThreadMetadata> threads = streams.metadataForLocalThreads();
        return new LocalTasks(streams.state().name(), tasks(threads, ThreadMetadata::activeTasks),
                tasks(threads, ThreadMetadata::standbyTasks));
    }

    private static List<Task> tasks(Collection<ThreadMetadata> threads,
                                    Function<ThreadMetadata, Set<TaskMetadata>> kind) {
        return threads.stream().flatMap(thread -> kind.apply(thread).stream())
                .sorted(Comparator.comparing(TaskMetadata::taskId))
                .map(task -> new Task(task.taskId().toString(), task.topicPartitions().stream()
                        .map(Object::toString).sorted().toList()))
                .toList();
    }
}
