package dev.binrelay.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A replicated statement as binrelay may show it in a log, a status or an error: without the credentials it may hold.
 * MySQL logs {@code CREATE USER} and {@code ALTER USER} with the password hash ({@code IDENTIFIED WITH 'plugin' AS
 * '$A$005$...'}, or a hex literal), MariaDB {@code GRANT ... IDENTIFIED BY PASSWORD '*...'}, and statements such as
 * {@code SET PASSWORD}, {@code CREATE SERVER ... OPTIONS (PASSWORD '...')} and {@code CHANGE REPLICATION SOURCE TO
 * SOURCE_PASSWORD = '...'} hold a secret too. From the first of the words {@link #TRIGGERS} on, every string and hex
 * literal is shown as {@code '<redacted>'}: more than the secret may go (a comment, a plugin name), never less.
 */
public final class CredentialRedaction {
    /** The words after which a statement's literals may be credentials. */
    static final Set<String> TRIGGERS = Set.of("IDENTIFIED", "PASSWORD", "MASTER_PASSWORD", "SOURCE_PASSWORD");
    private static final String REDACTED = "'<redacted>'";
    private static final int SHOWN_CHARACTERS = 200;

    private final String redacted;
    private final List<String> secrets;

    private CredentialRedaction(String redacted, List<String> secrets) {
        this.redacted = redacted;
        this.secrets = secrets;
    }

    /** Reads {@code sql} with the quoting rules of {@code sqlMode} (see {@link SqlTokenizer}). */
    public static CredentialRedaction of(String sql, long sqlMode) {
        List<SqlTokenizer.Token> tokens = SqlTokenizer.tokenize(sql, sqlMode);
        StringBuilder text = new StringBuilder(sql.length());
        List<String> secrets = new ArrayList<>();
        boolean afterTrigger = false;
        int copied = 0;
        for (SqlTokenizer.Token token : tokens) {
            if (!afterTrigger) {
                afterTrigger = token.type() == SqlTokenizer.Type.WORD
                        && TRIGGERS.contains(token.text().toUpperCase(Locale.ROOT));
                continue;
            }
            if (isLiteral(token)) {
                text.append(sql, copied, token.start()).append(REDACTED);
                copied = token.end();
                String inner = token.type() == SqlTokenizer.Type.STRING
                        ? token.text().substring(1, Math.max(1, token.text().length() - 1)) : token.text();
                if (!inner.isEmpty()) {
                    secrets.add(inner);
                }
            }
        }
        text.append(sql, copied, sql.length());
        return new CredentialRedaction(text.toString(), List.copyOf(secrets));
    }

    /** Whether the statement held literals that are hidden. */
    public boolean hasSecrets() {
        return !secrets.isEmpty();
    }

    /** The statement for a message: redacted, white space runs made one space, cut after 200 characters. */
    public String statement() {
        String flat = redacted.replaceAll("\\s+", " ").trim();
        return flat.length() <= SHOWN_CHARACTERS ? flat : flat.substring(0, SHOWN_CHARACTERS) + "...";
    }

    /**
     * {@code message} (a target's error about this statement) without the statement's secrets: each one is replaced,
     * and a syntax error's quoted fragment ({@code near '...'}, which the server may cut in the middle of a secret)
     * is withheld.
     */
    public String scrub(String message) {
        if (message == null || secrets.isEmpty()) {
            return message;
        }
        String scrubbed = message;
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, "<redacted>");
        }
        int near = scrubbed.indexOf(" near '");
        return near < 0 ? scrubbed : scrubbed.substring(0, near) + " near <withheld: the statement holds a credential>";
    }

    private static boolean isLiteral(SqlTokenizer.Token token) {
        if (token.type() == SqlTokenizer.Type.STRING) {
            return true;
        }
        String text = token.text();
        return token.type() == SqlTokenizer.Type.WORD && text.length() > 2 && (text.startsWith("0x")
                || text.startsWith("0X") || text.startsWith("0b")) && text.chars().skip(2).allMatch(
                        c -> Character.digit(c, 16) >= 0);
    }
}
