package dev.binrelay.cli.command;

import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.daemon.StatusDocument;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Talks to a running daemon's HTTP API, for {@code binrelay status}, {@code stop}, {@code start}, {@code wait}, {@code skip}. */
final class DaemonClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Control requests may wait for the transaction in flight (a stop) or a connection (a start). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param baseUrl such as {@code http://127.0.0.1:8080}
     * @param token   the bearer token for control requests, empty for none
     */
    DaemonClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** The daemon did not answer at all (not running, wrong address); the message names the address. */
    static final class UnreachableException extends RuntimeException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The daemon's answer.
     *
     * @param status the HTTP status code
     * @param body   the body as text
     */
    record Response(int status, String body) {
        /** Whether the daemon did what was asked (2xx). */
        boolean ok() {
            return status / 100 == 2;
        }

        /** The body as JSON. */
        JsonNode json() {
            try {
                return StatusDocument.JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the daemon answered HTTP " + status + " with a body that is not JSON: "
                        + body.strip(), e);
            }
        }

        /** The {@code result} or {@code error} of a JSON answer, or the body itself. */
        String message() {
            try {
                JsonNode node = StatusDocument.JSON.readTree(body);
                JsonNode text = node.has("error") ? node.get("error") : node.get("result");
                return text == null ? body.strip() : text.asText();
            } catch (JsonProcessingException notJson) {
                return body.strip();
            }
        }
    }

    /** {@code GET path} (path with its query string). */
    Response get(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build());
    }

    /** {@code POST path} with the bearer token. */
    Response post(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** The base URL, for messages. */
    String baseUrl() {
        return baseUrl;
    }

    /** {@code value} encoded for a query string. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("not a valid daemon URL: " + baseUrl + " (" + e.getMessage() + ")");
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UnreachableException("cannot reach the binrelay daemon at " + baseUrl + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while talking to " + baseUrl, e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
