package dev.binrelay.engine.apply;

import com.ibm.icu.text.CollationElementIterator;
import com.ibm.icu.text.Collator;
import com.ibm.icu.text.RuleBasedCollator;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * How one text column's key values are reduced before hashing, so that every two values its collation calls equal
 * fold alike (the reverse need not hold: a false conflict only costs parallelism, a missed one lets conflicting
 * transactions run side by side). The one place that maps a MySQL collation to a fold:
 * <ul>
 *   <li>{@code _bin} collations: the text without trailing spaces (PAD SPACE; for the NO PAD
 *       {@code utf8mb4_0900_bin} this is coarser than MySQL: 'a' and 'a ' collide);</li>
 *   <li>{@code utf8mb4_0900_ai_ci}, {@code _0900_as_ci}, {@code _0900_as_cs}: ICU's root collation key at primary
 *       strength with punctuation and spaces ignored (shifted). Coarser than MySQL for the accent- and
 *       case-sensitive ones ('a' and 'A' collide under {@code as_cs}): at secondary and tertiary strength ICU's
 *       weights differ from MySQL's for some characters (U+0F82, 'ſ'/'ꞅ'), a real server showed;</li>
 *   <li>{@code _general_ci} (one weight per character): per character, ICU's first primary weight of its upper case
 *       ('ß' weighs as 's', 'ı' as 'I'), characters beyond the BMP alike, trailing spaces stripped; checked against
 *       the server for every BMP character;</li>
 *   <li>one-byte charsets ({@code latin1_swedish_ci}, {@code latin1_german2_ci}, ...): the concatenated weights of
 *       each byte as the target itself reports them ({@link #ofByteWeights}; these tables are MySQL's own, e.g.
 *       latin1_swedish_ci weighs 'ü' as 'y');</li>
 *   <li>any other collation: a constant, so every value of the column collides with every other (safe, serial for
 *       that key). Among them the older UCA collations ({@code _unicode_ci}, {@code _unicode_520_ci}) and the
 *       language tailorings ({@code utf8mb4_da_0900_ai_ci}, {@code utf8mb4_swedish_ci}, ...): ICU's current tables
 *       disagree with them ('ø' = 'œ' under da_0900, Georgian capitals and Bengali numerators under unicode_ci,
 *       ignorable U+06DE under unicode_520_ci), a real server showed.</li>
 * </ul>
 * Immutable and thread-safe (the ICU collator is frozen).
 */
public final class KeyFold {
    private static final RuleBasedCollator ROOT_PRIMARY = rootPrimary();

    private enum Kind { PAD_SPACE, COLLATION_KEY, PER_CHARACTER, BYTE_WEIGHTS, CONSTANT }

    private final String collation;
    private final Charset charset;
    private final Kind kind;
    private final String[] byteWeights;

    private KeyFold(String collation, Charset charset, Kind kind, String[] byteWeights) {
        this.collation = collation;
        this.charset = charset;
        this.kind = kind;
        this.byteWeights = byteWeights;
    }

    /**
     * The fold of a text column of a multi-byte charset (or of a one-byte charset whose weights are unknown: then a
     * constant unless it is a {@code _bin} collation).
     *
     * @param collation the column's COLLATION_NAME as MySQL names it
     * @param charset   the Java charset its bytes are stored in
     */
    public static KeyFold of(String collation, Charset charset) {
        String name = collation == null ? "" : collation.toLowerCase(Locale.ROOT);
        int underscore = name.indexOf('_');
        String rest = underscore < 0 ? "" : name.substring(underscore + 1); // without the charset
        Kind kind;
        if (name.endsWith("_bin") || name.equals("binary")) {
            kind = Kind.PAD_SPACE;
        } else if (rest.equals("general_ci") && (name.startsWith("utf8") || name.startsWith("ucs2")
                || name.startsWith("utf16") || name.startsWith("utf32"))) {
            kind = Kind.PER_CHARACTER;
        } else if (rest.equals("0900_ai_ci") || rest.equals("0900_as_ci") || rest.equals("0900_as_cs")) {
            kind = Kind.COLLATION_KEY;
        } else {
            kind = Kind.CONSTANT;
        }
        return new KeyFold(name, charset, kind, null);
    }

    /**
     * The fold of a one-byte charset's collation from its weights as the server reports them
     * ({@code WEIGHT_STRING} of each byte alone): a value folds to the concatenated weights of its bytes, after
     * trailing spaces are stripped (these collations are PAD SPACE). Exact for collations without contractions,
     * which MySQL's one-byte collations are; expansions ('ä' weighing as 'ae' in latin1_german2_ci) are covered.
     *
     * @param weights per byte value 0 to 255, its weight string
     */
    public static KeyFold ofByteWeights(String collation, Charset charset, byte[][] weights) {
        if (weights.length != 256) {
            throw new IllegalArgumentException(collation + ": " + weights.length + " byte weights, not 256");
        }
        String[] folded = new String[256];
        for (int b = 0; b < 256; b++) {
            char[] chars = new char[weights[b].length];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (weights[b][i] & 0xFF);
            }
            folded[b] = new String(chars);
        }
        return new KeyFold(collation.toLowerCase(Locale.ROOT), charset, Kind.BYTE_WEIGHTS, folded);
    }

    /** The collation this fold stands for, lower case. */
    public String collation() {
        return collation;
    }

    /** Whether every value folds alike (a collation binrelay cannot fold exactly enough). */
    public boolean constant() {
        return kind == Kind.CONSTANT;
    }

    /**
     * Folds a stored value: keeps its first {@code prefixCharacters} characters (code points; 0 keeps all), as
     * MySQL's prefix index does, and reduces what is left. Equal folds mean "maybe equal", unequal ones "unequal".
     */
    public String fold(byte[] stored, int prefixCharacters) {
        if (kind == Kind.CONSTANT) {
            return "";
        }
        if (kind == Kind.BYTE_WEIGHTS) { // one byte, one character
            int end = prefixCharacters > 0 ? Math.min(prefixCharacters, stored.length) : stored.length;
            while (end > 0 && stored[end - 1] == ' ') {
                end--;
            }
            StringBuilder weights = new StringBuilder(end * 2);
            for (int i = 0; i < end; i++) {
                weights.append(byteWeights[stored[i] & 0xFF]); // as WEIGHT_STRING concatenates them
            }
            return weights.toString();
        }
        String text = new String(stored, charset);
        if (prefixCharacters > 0 && text.codePointCount(0, text.length()) > prefixCharacters) {
            text = text.substring(0, text.offsetByCodePoints(0, prefixCharacters));
        }
        return switch (kind) {
            case PAD_SPACE -> stripTrailingSpaces(text);
            case COLLATION_KEY -> latin1String(ROOT_PRIMARY.getCollationKey(text).toByteArray());
            case PER_CHARACTER -> perCharacter(stripTrailingSpaces(text));
            default -> throw new IllegalStateException(kind.name());
        };
    }

    @Override
    public String toString() {
        return collation + " (" + kind.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static String perCharacter(String text) {
        StringBuilder weights = new StringBuilder(text.length() * 2);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint > 0xFFFF) {
                weights.append('\uFFFD').append('\uFFFD'); // MySQL weighs every supplementary character alike
                continue;
            }
            // MySQL weighs a character by its upper case ('ı' = 'I' = 'i'); ICU's first primary weight of that is
            // as coarse as MySQL's table or coarser ('ß' weighs as 's'), which the server check confirms
            CollationElementIterator elements = ROOT_PRIMARY.getCollationElementIterator(
                    String.valueOf((char) Character.toUpperCase(codePoint)));
            int primary = 0;
            for (int element = elements.next(); element != CollationElementIterator.NULLORDER;
                 element = elements.next()) {
                primary = CollationElementIterator.primaryOrder(element);
                if (primary != 0) {
                    break;
                }
            }
            weights.append((char) (primary >>> 16)).append((char) primary);
        }
        return weights.toString();
    }

    private static String stripTrailingSpaces(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    private static String latin1String(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = (char) (bytes[i] & 0xFF);
        }
        return new String(chars);
    }

    private static RuleBasedCollator rootPrimary() {
        RuleBasedCollator collator = (RuleBasedCollator) Collator.getInstance(com.ibm.icu.util.ULocale.ROOT);
        collator.setStrength(Collator.PRIMARY);
        collator.setAlternateHandlingShifted(true);
        collator.setDecomposition(Collator.CANONICAL_DECOMPOSITION);
        return (RuleBasedCollator) collator.freeze();
    }
}
