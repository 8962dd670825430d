package dev.binrelay.engine;

/**
 * A {@code wildDoTable} / {@code wildIgnoreTable} pattern such as {@code shop%.order\_%}: matched, as MySQL's
 * {@code --replicate-wild-do-table} does, against the whole {@code db.table} text, where {@code %} stands for any
 * run of characters (possibly empty), {@code _} for exactly one, and {@code \} makes the next character literal.
 * Case-sensitive, as MySQL compares names on Linux ({@code lower_case_table_names=0}).
 *
 * <p>Immutable and thread-safe.
 */
final class TablePattern {
    private final String pattern;

    private TablePattern(String pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException if the pattern names no table ({@code db.table}) */
    static TablePattern of(String pattern) {
        if (pattern.indexOf('.') <= 0 || pattern.endsWith(".")) {
            throw new IllegalArgumentException("expected db.table (with % and _ wildcards), got \"" + pattern + "\"");
        }
        return new TablePattern(pattern);
    }

    boolean matches(String qualifiedName) {
        return matches(0, qualifiedName, 0);
    }

    /** Backtracks over {@code %} only; patterns are short and checked once per table map. */
    private boolean matches(int p, String text, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '%') {
                while (p < pattern.length() && pattern.charAt(p) == '%') {
                    p++; // a run of % is one %
                }
                if (p == pattern.length()) {
                    return true;
                }
                for (int from = t; from <= text.length(); from++) {
                    if (matches(p, text, from)) {
                        return true;
                    }
                }
                return false;
            }
            if (t == text.length()) {
                return false;
            }
            if (c == '_') {
                p++;
                t++;
                continue;
            }
            if (c == '\\' && p + 1 < pattern.length()) {
                c = pattern.charAt(++p);
            }
            if (c != text.charAt(t)) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
