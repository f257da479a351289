package dev.tally.launcher.acls;

import dev.tally.contract.CommonSettings;
import dev.tally.gateway.GatewayConfig;
import dev.tally.launcher.ConfigFiles;
import dev.tally.launcher.Tally;
import dev.tally.topology.EngineConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally acls}: the Kafka ACLs the engine and the gateway need, from the same settings they run with
 * (topic prefix, application id), printed, or created with {@code --apply} by a principal allowed to alter
 * ACLs.
 */
@Command(name = "acls", mixinStandardHelpOptions = true,
        description = {"Print the Kafka ACLs the engine, the gateway and the audit need (least privilege), or"
                + " create them with --apply.", "Create tally's topics first, as an admin: no part is granted"
                + " CREATE on them."})
public final class AclsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--engine-principal", defaultValue = "User:tally-engine",
            description = "The engine's Kafka principal (default User:tally-engine).")
    private String enginePrincipal;

    @Option(names = "--gateway-principal", defaultValue = "User:tally-gateway",
            description = "The gateway's Kafka principal (default User:tally-gateway).")
    private String gatewayPrincipal;

    @Option(names = "--audit-principal", defaultValue = "User:tally-audit",
            description = "The principal tally audit runs as (default User:tally-audit).")
    private String auditPrincipal;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The engine's and gateway's settings file: topic.prefix and engine.application.id name"
                    + " the resources; with --apply, its kafka.* settings are the admin's credentials.")
    private Path configFile;

    @Option(names = "--apply", description = "Create the ACLs on the cluster instead of printing them only.")
    private boolean apply;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "With --apply: the cluster (env TALLY_BOOTSTRAP_SERVERS, default localhost:9092).")
    private String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        ConfigFiles.check(configFile);
        Map<String, Object> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(CommonSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        EngineConfig engine = EngineConfig.resolve(configFile, System.getenv(), overrides);
        GatewayConfig gateway = GatewayConfig.resolve(configFile, System.getenv(), overrides);
        KafkaPrincipal engineUser;
        KafkaPrincipal gatewayUser;
        KafkaPrincipal auditUser;
        try {
            engineUser = KafkaAcls.principal(enginePrincipal);
            gatewayUser = KafkaAcls.principal(gatewayPrincipal);
            auditUser = KafkaAcls.principal(auditPrincipal);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("tally acls: a principal is <type>:<name>, e.g. User:tally-engine: "
                    + e.getMessage());
            return Tally.EXIT_USAGE;
        }
        List<KafkaAcls.Grant> grants = new ArrayList<>(KafkaAcls.engine(engine.topicNames(),
                engine.getString(EngineConfig.APPLICATION_ID), engineUser));
        grants.addAll(KafkaAcls.gateway(gateway.topicNames(), gateway.replyGroup(), gatewayUser));
        grants.addAll(KafkaAcls.audit(engine.topicNames(), auditUser));

        PrintWriter out = spec.commandLine().getOut();
        grants.forEach(grant -> out.println(grant.line()));
        if (apply) {
            int created = create(engine, grants);
            out.println("created " + created + " ACL bindings on " + engine.bootstrapServers());
        }
        out.flush();
        return Tally.EXIT_OK;
    }

    private static int create(EngineConfig config, List<KafkaAcls.Grant> grants)
            throws InterruptedException, ExecutionException, TimeoutException {
        var bindings = KafkaAcls.bindings(grants);
        try (Admin client = Admin.create(config.adminClientSettings())) {
            client.createAcls(bindings).all().get(60, TimeUnit.SECONDS);
        }
        return bindings.size();
    }
}
