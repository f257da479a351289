package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /openapi.json} against the gateway itself: it documents exactly the routes the gateway registers,
 * each body with exactly the fields the gateway reads, each route with the refusals it can give, and every
 * schema it refers to is served.
 */
@Timeout(60)
class OpenApiDocumentTest {

    /** The body record each documented operation is read into: a route with a body must be listed here. */
    private static final Map<String, Class<? extends Record>> BODIES = Map.ofEntries(
            Map.entry("setLimit", Bodies.LimitBody.class), Map.entry("setNamespaceLimit", Bodies.LimitBody.class),
            Map.entry("recordUsage", Bodies.UsageBody.class), Map.entry("reserve", Bodies.ReserveBody.class),
            Map.entry("commitReservation", Bodies.CommitBody.class),
            Map.entry("releaseReservation", Bodies.ReleaseBody.class),
            Map.entry("provisionPackage", Bodies.PackageBody.class), Map.entry("addBoost", Bodies.BoostBody.class),
            Map.entry("createClaim", Bodies.CreateClaimBody.class),
            Map.entry("getOrCreateClaim", Bodies.GetOrCreateClaimBody.class),
            Map.entry("confirmClaim", Bodies.ConfirmClaimBody.class),
            Map.entry("defineResource", Bodies.ResourceBody.class), Map.entry("book", Bodies.BookBody.class),
            Map.entry("rescheduleBooking", Bodies.RescheduleBody.class),
            Map.entry("bookComposite", Bodies.CompositeBody.class));
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private GatewayUnderTest gateway;
    private JsonNode document;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayUnderTest(new InMemorySender(10, 60_000).holding());
        HttpResponse<String> served = gateway.http.get("/openapi.json");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        document = Json.mapper().readTree(served.body());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** Every operation, as {@code METHOD /path} and its node. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new java.util.TreeMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method ->
                operations.put(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue())));
        return operations;
    }

    @Test
    void itDocumentsExactlyTheRoutesTheGatewayRegisters() {
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(new TreeSet<>(operations().keySet())).isEqualTo(gateway.registeredRoutes().keySet());
    }

    @Test
    void eachBodyHasExactlyTheFieldsTheGatewayReads() {
        Set<String> withBodies = new HashSet<>();
        operations().forEach((route, operation) -> {
            JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
            if (schema.isMissingNode()) {
                return;
            }
            String id = operation.path("operationId").asText();
            withBodies.add(id);
            assertThat(BODIES).as("%s (%s) has a body: list its record", route, id).containsKey(id);
            Set<String> documented = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(documented::add);
            Set<String> read = Stream.of(BODIES.get(id).getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(documented).as(route).isEqualTo(read);
            assertThat(schema.path("additionalProperties").asBoolean(true)).as("%s refuses unknown fields", route)
                    .isFalse();
        });
        assertThat(withBodies).isEqualTo(BODIES.keySet());
    }

    @Test
    void everyPathParameterIsDeclaredAndOnlyTheProbesAndDocumentsNeedNoKey() {
        operations().forEach((route, operation) -> {
            Set<String> inPath = new HashSet<>();
            Matcher params = PATH_PARAM.matcher(route);
            while (params.find()) {
                inPath.add(params.group(1));
            }
            Set<String> declared = new HashSet<>();
            operation.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path")) {
                    declared.add(p.path("name").asText());
                }
            });
            assertThat(declared).as(route).isEqualTo(inPath);
            boolean open = operation.has("security") && operation.path("security").isEmpty();
            assertThat(open).as("%s is open", route).isEqualTo(!route.contains(" /v1/"));
        });
    }

    /**
     * A status documented for a route must be one the route can give, and one it can give must be documented:
     * 413 and 415 come from reading a body (a GET or DELETE reads none), 403 from the missing right to manage
     * (only a route whose {@link Access} manages asks for it), 401 and 429 from the credentials and their rate
     * (only a route with an Access asks for them).
     */
    @Test
    void eachRouteDocumentsTheRefusalsItCanGiveAndNoOthers() {
        Map<String, GatewayUnderTest.RegisteredRoute> registered = gateway.registeredRoutes();
        operations().forEach((route, operation) -> {
            JsonNode responses = operation.path("responses");
            boolean readsBody = operation.has("requestBody");
            Access access = registered.get(route).access();
            boolean manages = access != null && access.manage;
            assertThat(responses.has("413")).as("%s documents 413 (reads a body: %s)", route, readsBody)
                    .isEqualTo(readsBody);
            assertThat(responses.has("415")).as("%s documents 415 (reads a body: %s)", route, readsBody)
                    .isEqualTo(readsBody);
            assertThat(responses.has("403")).as("%s documents 403 (manages: %s)", route, manages)
                    .isEqualTo(manages);
            assertThat(responses.has("401")).as("%s documents 401 (needs credentials: %s)", route, access != null)
                    .isEqualTo(access != null);
            assertThat(responses.has("429")).as("%s documents 429 (needs credentials: %s)", route, access != null)
                    .isEqualTo(access != null);
        });
    }

    @Test
    void everySchemaItRefersToIsServedAndHoldsWhatTheReferenceNames() throws Exception {
        Set<String> references = new TreeSet<>();
        collectReferences(document, references);
        assertThat(references).isNotEmpty();
        for (String reference : references) {
            String[] parts = reference.split("#", 2);
            HttpResponse<String> schema = gateway.http.get(parts[0]);
            assertThat(schema.statusCode()).as(reference).isEqualTo(200);
            JsonNode body = Json.mapper().readTree(schema.body());
            assertThat(body.path("$schema").asText()).contains("2020-12");
            if (parts.length == 2) {
                assertThat(body.at(parts[1]).isMissingNode()).as(reference).isFalse();
            }
        }
        assertThat(gateway.http.get("/schemas/..%2Fopenapi.json").statusCode()).isEqualTo(404);
        assertThat(gateway.http.get("/schemas/nothing.schema.json").statusCode()).isEqualTo(404);
    }

    private static void collectReferences(JsonNode node, Set<String> references) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.asText().startsWith("/schemas/")) {
                references.add(ref.asText());
            }
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collectReferences(children.next(), references);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, references));
        }
    }
}
