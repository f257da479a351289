package dev.tally.launcher.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The gateway's HTTP API as a test calls it: JSON in, status and JSON out. */
public final class TallyHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final HttpClient client;
    /** The API key every call sends as a bearer token, or null. */
    private final String apiKey;

    public TallyHttp(String baseUrl) {
        this(baseUrl, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build(), null);
    }

    private TallyHttp(String baseUrl, HttpClient client, String apiKey) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.apiKey = apiKey;
    }

    /** The same gateway, called with {@code Authorization: Bearer <apiKey>} (null: no key). */
    public TallyHttp withKey(String apiKey) {
        return new TallyHttp(baseUrl, client, apiKey);
    }

    public record Response(int status, JsonNode body, String raw, HttpHeaders headers) {

        /** The first value of a response header, or null when the answer has none. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String text(String field) {
            JsonNode node = body.path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asText();
        }

        public long number(String field) {
            JsonNode node = body.path(field);
            if (!node.isNumber()) {
                throw new AssertionError("no number '" + field + "' in " + raw);
            }
            return node.asLong();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    public Response put(String path, String json) {
        return await(send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json))));
    }

    public Response post(String path, String json) {
        return await(postAsync(path, json));
    }

    /** A POST with another {@code Content-Type} than JSON's. */
    public Response post(String path, String contentType, String body) {
        return await(send(request(path).setHeader("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    public CompletableFuture<Response> postAsync(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return await(send(request(path).DELETE()));
    }

    public CompletableFuture<Response> putAsync(String path, String json) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response get(String path) {
        return await(send(request(path).GET()));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    private CompletableFuture<Response> send(HttpRequest.Builder request) {
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), parse(response.body()), response.body(),
                        response.headers()));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * Whether a call failed because its connection was lost before an answer: what a caller may send again
     * under the same requestId. Takes the failure of a call waited for ({@link AssertionError}) or of an
     * asynchronous one ({@link CompletionException}).
     */
    public static boolean isConnectionLoss(Throwable failure) {
        Throwable cause = (failure instanceof AssertionError || failure instanceof CompletionException)
                && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof IOException;
    }

    private static Response await(CompletableFuture<Response> response) {
        try {
            return response.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw new AssertionError("HTTP call failed: " + cause, cause instanceof IOException ? cause : e);
        }
    }
}
