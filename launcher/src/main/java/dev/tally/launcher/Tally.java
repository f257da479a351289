package dev.tally.launcher;

import dev.tally.launcher.acls.AclsCommand;
import dev.tally.launcher.audit.AuditCommand;
import dev.tally.launcher.bench.BenchCommand;
import java.io.PrintWriter;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * {@code bin/tally}: one entry point for every way to run tally. Each subcommand runs until it is stopped
 * (Ctrl-C or SIGTERM) and then exits 0 after a clean stop; a bad option or setting exits 2 with one line
 * that names it; a failure to start or a failed engine exits 1.
 */
@Command(name = "tally",
        mixinStandardHelpOptions = true,
        versionProvider = Tally.Version.class,
        description = "A quota engine on Kafka Streams: limits decided one workspace at a time.",
        subcommands = {DevCommand.class, EngineCommand.class, GatewayCommand.class, BenchCommand.class,
                AuditCommand.class, KeysCommand.class, AclsCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class Tally implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LogFormat.apply(args, System.getenv());
        int code = run(args);
        System.exit(code);
    }

    /** Runs a command line and returns its exit code, without exiting: tests call it. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Tally())
                .setParameterExceptionHandler(Tally::badOption)
                .setExecutionExceptionHandler(Tally::failed);
        return commandLine.execute(args);
    }

    /** {@code tally} alone: say what it can do. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One line naming what is wrong, and where help is; not the whole usage text. */
    private static int badOption(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("tally: " + e.getMessage());
        err.println("try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
        return EXIT_USAGE;
    }

    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        Throwable cause = rootConfigProblem(e);
        if (cause != null) {
            // Kafka's ConfigException names the key and the value at fault.
            err.println("tally: bad configuration: " + cause.getMessage());
            return EXIT_USAGE;
        }
        err.println("tally " + commandLine.getCommandName() + ": failed: " + oneLine(e));
        return EXIT_FAILED;
    }

    private static Throwable rootConfigProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return t;
            }
        }
        return null;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    /** The version Maven put in the jar's manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Tally.class.getPackage().getImplementationVersion();
            return new String[] {"tally " + (version == null ? "dev" : version)};
        }
    }
}
