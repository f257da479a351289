package dev.tally.launcher;

import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.Grant;
import dev.tally.gateway.auth.KeyLines;
import dev.tally.gateway.auth.Secrets;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally keys new}: makes an API key. Prints the secret once, for the caller, and the line the
 * gateway's key file takes, which holds only its hash: the gateway never stores a secret.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make API keys for the gateway.",
        subcommands = KeysCommand.New.class)
final class KeysCommand {

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Prints a new API key's secret and its line for the key file (auth.keys.file).",
                "Grants: admin, workspace:<id>[:manage], resource:<id>[:manage], claims:<scope>[/<value>]; an id"
                        + " may hold ':' (only a trailing :manage is the right to manage) and may end with *."})
    static final class New implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--name", required = true, description = "The key's name, as logs will show it.")
        private String name;

        @Option(names = "--grant", required = true, paramLabel = "GRANT",
                description = "What the key may act on; repeat for several.")
        private List<String> grants;

        @Override
        public Integer call() {
            String secret = Secrets.newSecret();
            String line = name + " sha256:" + Secrets.sha256Hex(secret) + " " + String.join(" ", grants);
            // Parsed as the gateway will parse it, so a bad name or grant fails here, not at the gateway.
            ApiKey key;
            try {
                key = KeyLines.parse(List.of(line), "--grant").get(0);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("tally keys new: " + e.getMessage());
                return Tally.EXIT_USAGE;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("secret (shown once; give it to the caller): " + secret);
            out.println("key file line (" + key.caller().grants().stream().map(Grant::toString).toList() + "):");
            out.println(line);
            out.flush();
            return Tally.EXIT_OK;
        }
    }
}
