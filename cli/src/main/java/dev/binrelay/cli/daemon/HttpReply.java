package dev.binrelay.cli.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Writing responses and reading query strings for {@link HttpApi}. */
final class HttpReply {
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String TEXT_TYPE = "text/plain; charset=utf-8";

    private HttpReply() {
    }

    /** Sends {@code body} as JSON. */
    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        String text;
        try {
            text = StatusDocument.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write JSON: " + e.getMessage(), e);
        }
        send(exchange, status, JSON_TYPE, text + "\n");
    }

    /** Sends {@code {"error": message}}. */
    static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, StatusDocument.JSON.createObjectNode().put("error", message));
    }

    /** Sends {@code {"result": message}}, the answer to a control request that did what it was asked. */
    static void done(HttpExchange exchange, String message) throws IOException {
        ObjectNode body = StatusDocument.JSON.createObjectNode().put("result", message);
        json(exchange, 200, body);
    }

    /** Sends {@code body} as text of {@code contentType}. */
    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The decoded query parameters of the request (the last of repeated names wins). */
    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> parameters = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
