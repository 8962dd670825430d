package dev.binrelay.engine.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits MySQL statement text into the tokens MySQL's lexer sees, enough to recognise a statement by its keywords and
 * to find where its clauses begin: words, quoted identifiers, string literals and one-character symbols, each with
 * its offsets in the text. Whitespace and comments are skipped; the content of an executable comment
 * ({@code /*!80000 ... *}{@code /}) is read as code, as MySQL does. The statement's {@code sql_mode} decides whether
 * {@code "..."} is an identifier (ANSI_QUOTES) and whether a backslash escapes (NO_BACKSLASH_ESCAPES).
 *
 * <p>Stateless and thread-safe.
 */
public final class SqlTokenizer {
    /** {@code MODE_ANSI_QUOTES} in MySQL's sql_mode bit set. */
    public static final long MODE_ANSI_QUOTES = 1L << 2;
    /** {@code MODE_NO_BACKSLASH_ESCAPES} in MySQL's sql_mode bit set. */
    public static final long MODE_NO_BACKSLASH_ESCAPES = 1L << 20;

    /** What a token is. */
    public enum Type {
        /** A keyword, an unquoted identifier or a number. */
        WORD,
        /** A quoted identifier ({@code `x`}, or {@code "x"} under ANSI_QUOTES); text keeps the quotes. */
        IDENTIFIER,
        /** A string literal; text keeps the quotes. */
        STRING,
        /** Any other single character. */
        SYMBOL
    }

    /**
     * One token.
     *
     * @param type  what it is
     * @param text  its text as written
     * @param start offset of its first character in the statement
     * @param end   offset after its last character
     */
    public record Token(Type type, String text, int start, int end) {
        /** Whether this is the unquoted word {@code keyword}, in any case. */
        public boolean is(String keyword) {
            return type == Type.WORD && text.equalsIgnoreCase(keyword);
        }

        /** Whether this is the symbol {@code c}. */
        public boolean is(char c) {
            return type == Type.SYMBOL && text.charAt(0) == c;
        }
    }

    private SqlTokenizer() {
    }

    /** The tokens of {@code sql}, read with the quoting rules of {@code sqlMode}. */
    public static List<Token> tokenize(String sql, long sqlMode) {
        boolean ansiQuotes = (sqlMode & MODE_ANSI_QUOTES) != 0;
        boolean backslashEscapes = (sqlMode & MODE_NO_BACKSLASH_ESCAPES) == 0;
        List<Token> tokens = new ArrayList<>();
        boolean inExecutableComment = false;
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '-' && sql.startsWith("--", i) && (i + 2 == length
                    || Character.isWhitespace(sql.charAt(i + 2)) || Character.isISOControl(sql.charAt(i + 2))))) {
                i = lineEnd(sql, i);
            } else if (sql.startsWith("/*!", i)) {
                inExecutableComment = true;
                i += 3;
                while (i < length && Character.isDigit(sql.charAt(i))) {
                    i++; // the version the code needs: sources replay it, so read it as code
                }
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? length : close + 2;
            } else if (inExecutableComment && sql.startsWith("*/", i)) {
                inExecutableComment = false;
                i += 2;
            } else if (c == '\'' || (c == '"' && !ansiQuotes)) {
                int end = quotedEnd(sql, i, c, backslashEscapes);
                tokens.add(new Token(Type.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if (c == '`' || c == '"') {
                int end = quotedEnd(sql, i, c, false);
                tokens.add(new Token(Type.IDENTIFIER, sql.substring(i, end), i, end));
                i = end;
            } else if (isWordChar(c)) {
                int end = i + 1;
                while (end < length && isWordChar(sql.charAt(end))) {
                    end++;
                }
                tokens.add(new Token(Type.WORD, sql.substring(i, end), i, end));
                i = end;
            } else {
                tokens.add(new Token(Type.SYMBOL, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return tokens;
    }

    /** Words run over letters, digits, {@code _}, {@code $} and any non-ASCII character, as in MySQL identifiers. */
    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    private static int lineEnd(String sql, int from) {
        int newline = sql.indexOf('\n', from);
        return newline < 0 ? sql.length() : newline + 1;
    }

    /** The offset after the quote closing the literal opened at {@code start}; a doubled quote stays inside. */
    private static int quotedEnd(String sql, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && backslashEscapes) {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
