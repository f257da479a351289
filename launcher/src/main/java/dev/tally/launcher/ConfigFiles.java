package dev.tally.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;

/** The {@code --config} file: checked before anything starts, so a typo fails in one line. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static void requireReadable(Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new ConfigException("--config " + file + ": no such readable file");
        }
    }
}
