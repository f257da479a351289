package dev.tally.gateway.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * The API's description, served as written: {@code /openapi.json} (OpenAPI 3.1, kept to the routes the
 * gateway registers by a test) and {@code /schemas/{name}}, the JSON Schemas of the requests and decisions
 * it refers to, from the schemas module: the same files that describe the Kafka topics.
 */
final class ApiDocuments {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z-]+\\.schema\\.json");

    private final byte[] openApi = read("openapi.json");

    void openApi(Context ctx) {
        ctx.contentType(JsonBodies.APPLICATION_JSON).result(openApi);
    }

    void schema(Context ctx) {
        String name = ctx.pathParam("name");
        InputStream schema = SCHEMA_NAME.matcher(name).matches()
                ? ApiDocuments.class.getClassLoader().getResourceAsStream("schemas/" + name) : null;
        if (schema == null) {
            throw ApiError.notFound();
        }
        try (schema) {
            ctx.contentType(JsonBodies.APPLICATION_JSON).result(schema.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocuments.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the gateway's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
