package dev.tally.launcher;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of port options that picocli's int conversion lets through. */
final class Ports {

    private Ports() {
    }

    static void require(CommandSpec spec, String option, Integer port) {
        if (port != null && (port < 0 || port > 65_535)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + port + " is not a port (0-65535)");
        }
    }
}
