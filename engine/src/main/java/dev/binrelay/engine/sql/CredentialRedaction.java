package dev.binrelay.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern TRIGGER_WORD = Pattern.compile("\\b(" + String.join("|", TRIGGERS) + ")\\b",
            Pattern.CASE_INSENSITIVE);
    private static final int SHOWN_CHARACTERS = 200;

    private final String redacted;
    private final List<String> secrets;
    /** The statement could not be read reliably: a target's message about it is withheld whole. */
    private final boolean withholdMessages;

    private CredentialRedaction(String redacted, List<String> secrets, boolean withholdMessages) {
        this.redacted = redacted;
        this.secrets = secrets;
        this.withholdMessages = withholdMessages;
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
        Matcher trigger = TRIGGER_WORD.matcher(sql);
        if (!afterTrigger && trigger.find()) {
            // A trigger word inside what these quoting rules read as a literal: the rules may not be the session's
            // (NO_BACKSLASH_ESCAPES, ANSI_QUOTES), so withhold everything from the word on.
            return new CredentialRedaction(sql.substring(0, trigger.end()) + " " + REDACTED,
                    List.of(sql.substring(trigger.end())), true);
        }
        return new CredentialRedaction(text.toString(), List.copyOf(secrets), false);
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
        if (withholdMessages) {
            return "<withheld: the statement holds a credential>";
        }
        String scrubbed = message;
        for (String secret : secrets) {
            // As written in the statement, and unescaped as the server may quote it back.
            scrubbed = scrubbed.replace(secret, "<redacted>")
                    .replace(secret.replace("''", "'").replace("\\'", "'").replace("\\\\", "\\"), "<redacted>");
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
