package dev.binrelay.cli.daemon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the {@code Authorization: Bearer <http.token>} header of a control request. The comparison takes the same
 * time whatever the header holds: both sides are hashed first, so neither the length nor a matching prefix shows in
 * the response time.
 */
final class ControlToken {
    private static final String BEARER = "Bearer ";

    /** The outcome of a check. */
    enum Verdict {
        ALLOWED,
        /** No {@code http.token} in the config: control is refused to everyone (403). */
        NOT_CONFIGURED,
        /** No bearer token, or a wrong one (401). */
        UNAUTHORIZED
    }

    private final byte[] expectedDigest;

    /** @param token {@code http.token}; empty refuses every control request */
    ControlToken(String token) {
        this.expectedDigest = token.isEmpty() ? null : sha256(token);
    }

    /** The verdict for the request's {@code Authorization} header (null when absent). */
    Verdict check(String authorization) {
        if (expectedDigest == null) {
            return Verdict.NOT_CONFIGURED;
        }
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        byte[] offered = sha256(bearer ? authorization.substring(BEARER.length()).strip() : "");
        return MessageDigest.isEqual(expectedDigest, offered) && bearer ? Verdict.ALLOWED : Verdict.UNAUTHORIZED;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
