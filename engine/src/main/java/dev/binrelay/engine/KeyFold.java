package dev.binrelay.engine;

import com.ibm.icu.text.CollationElementIterator;
import com.ibm.icu.text.Collator;
import com.ibm.icu.text.RuleBasedCollator;
import com.ibm.icu.util.ULocale;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one text column's key values are reduced before hashing, so that every two values its collation calls equal
 * hash alike (the reverse need not hold: a false conflict only costs parallelism, a missed one loses rows). The one
 * place that maps a MySQL collation name to a fold:
 * <ul>
 *   <li>{@code _bin} collations: the text without trailing spaces (PAD SPACE; for the NO PAD
 *       {@code utf8mb4_0900_bin} this is coarser than MySQL: 'a' and 'a ' collide);</li>
 *   <li>UCA collations ({@code _0900_}, {@code _unicode_ci}, {@code _unicode_520_ci} and their language variants):
 *       ICU's collation key in the collation's locale, at primary strength for {@code _ai_ci} and the older UCA
 *       {@code _ci}, secondary for {@code _as_ci}, tertiary for {@code _as_cs} (and {@code _as_cs_ks}), with
 *       punctuation and spaces ignored (shifted), which is coarser than MySQL and covers PAD SPACE and NO PAD;</li>
 *   <li>{@code _general_ci} and the one-byte {@code latin1_*} collations, which weigh each character alone: per
 *       character, ICU's first primary weight in the matching locale (so 'ß' weighs as 's'), trailing spaces
 *       stripped; {@code latin1_general_cs} folds as {@code latin1_general_ci} (coarser); {@code latin1_german2_ci}
 *       (where 'ä' = 'ae') as the German phone book at primary strength;</li>
 *   <li>any other collation: a constant, so every value of the column collides with every other (safe, serial for
 *       that key).</li>
 * </ul>
 * Instances are immutable and thread-safe (ICU collators are frozen).
 */
public final class KeyFold {
    /** The language part of UCA 4.0/5.2 collation names ({@code utf8mb4_swedish_ci}) as ICU locales. */
    private static final Map<String, String> UCA_LANGUAGES = Map.ofEntries(
            Map.entry("icelandic", "is"), Map.entry("latvian", "lv"), Map.entry("romanian", "ro"),
            Map.entry("slovenian", "sl"), Map.entry("polish", "pl"), Map.entry("estonian", "et"),
            Map.entry("spanish", "es"), Map.entry("swedish", "sv"), Map.entry("turkish", "tr"),
            Map.entry("czech", "cs"), Map.entry("danish", "da"), Map.entry("lithuanian", "lt"),
            Map.entry("slovak", "sk"), Map.entry("spanish2", "es@collation=traditional"),
            Map.entry("persian", "fa"), Map.entry("esperanto", "eo"), Map.entry("hungarian", "hu"),
            Map.entry("sinhala", "si"), Map.entry("german2", "de@collation=phonebook"),
            Map.entry("croatian", "hr"), Map.entry("vietnamese", "vi"));
    /** MySQL 8.0's 0900 language codes that are not ICU locale names as they stand. */
    private static final Map<String, String> CLDR_LANGUAGES = Map.of("de_pb", "de@collation=phonebook",
            "es_trad", "es@collation=traditional", "zh", "zh@collation=pinyin");
    private static final Map<String, String> LATIN1 = Map.of("latin1_swedish_ci", "sv", "latin1_danish_ci", "da",
            "latin1_spanish_ci", "es", "latin1_german1_ci", "de", "latin1_general_ci", "", "latin1_general_cs", "");
    private static final Set<String> ICU_LANGUAGES = icuLanguages();
    private static final Map<String, RuleBasedCollator> COLLATORS = new ConcurrentHashMap<>();

    private enum Kind { PAD_SPACE, COLLATION_KEY, PER_CHARACTER, CONSTANT }

    private final String collation;
    private final Charset charset;
    private final Kind kind;
    private final RuleBasedCollator collator;

    private KeyFold(String collation, Charset charset, Kind kind, RuleBasedCollator collator) {
        this.collation = collation;
        this.charset = charset;
        this.kind = kind;
        this.collator = collator;
    }

    /**
     * The fold of a text column.
     *
     * @param collation the column's COLLATION_NAME as MySQL names it
     * @param charset   the Java charset its bytes are stored in
     */
    public static KeyFold of(String collation, Charset charset) {
        String name = collation == null ? "" : collation.toLowerCase(Locale.ROOT);
        if (name.endsWith("_bin") || name.equals("binary")) {
            return new KeyFold(name, charset, Kind.PAD_SPACE, null);
        }
        if (name.equals("latin1_german2_ci")) {
            return collationKey(name, charset, "de@collation=phonebook", Collator.PRIMARY);
        }
        if (LATIN1.containsKey(name)) {
            return perCharacter(name, charset, LATIN1.get(name));
        }
        if (name.endsWith("_general_ci") || name.endsWith("_general_mysql500_ci")) {
            return perCharacter(name, charset, "");
        }
        int underscore = name.indexOf('_');
        String rest = underscore < 0 ? "" : name.substring(underscore + 1); // without the charset
        int uca = rest.indexOf("0900_");
        if (uca >= 0) {
            String language = uca == 0 ? "" : rest.substring(0, uca - 1);
            String suffix = rest.substring(uca + "0900_".length());
            int strength = switch (suffix) {
                case "ai_ci" -> Collator.PRIMARY;
                case "as_ci" -> Collator.SECONDARY;
                case "as_cs", "as_cs_ks" -> Collator.TERTIARY;
                default -> -1;
            };
            String locale = language.isEmpty() ? "" : CLDR_LANGUAGES.getOrDefault(language, language);
            return strength < 0 ? constant(name, charset) : collationKey(name, charset, locale, strength);
        }
        for (String ucaName : new String[] {"unicode_520_ci", "unicode_ci"}) {
            if (rest.endsWith(ucaName)) {
                String language = rest.substring(0, rest.length() - ucaName.length());
                String locale = language.isEmpty() ? "" : UCA_LANGUAGES.get(language.substring(0,
                        language.length() - 1));
                return locale == null ? constant(name, charset)
                        : collationKey(name, charset, locale, Collator.PRIMARY);
            }
        }
        String language = rest.endsWith("_ci") ? rest.substring(0, rest.length() - 3) : null;
        if (language != null && UCA_LANGUAGES.containsKey(language)) { // utf8mb4_swedish_ci and the like
            return collationKey(name, charset, UCA_LANGUAGES.get(language), Collator.PRIMARY);
        }
        return constant(name, charset);
    }

    /** The collation this fold stands for, lower case. */
    public String collation() {
        return collation;
    }

    /** Whether every value folds alike (an unrecognised collation). */
    public boolean constant() {
        return kind == Kind.CONSTANT;
    }

    /**
     * Folds a stored value: decodes it, keeps its first {@code prefixCharacters} characters (code points; 0 keeps
     * all) and reduces what is left. Equal folds mean "maybe equal"; unequal folds mean "unequal".
     */
    String fold(byte[] stored, int prefixCharacters) {
        String text = new String(stored, charset);
        if (prefixCharacters > 0 && text.codePointCount(0, text.length()) > prefixCharacters) {
            text = text.substring(0, text.offsetByCodePoints(0, prefixCharacters));
        }
        return switch (kind) {
            case PAD_SPACE -> stripTrailingSpaces(text);
            case COLLATION_KEY -> latin1String(collator.getCollationKey(text).toByteArray());
            case PER_CHARACTER -> perCharacter(stripTrailingSpaces(text));
            case CONSTANT -> "";
        };
    }

    @Override
    public String toString() {
        return collation + " (" + kind.name().toLowerCase(Locale.ROOT) + ")";
    }

    private String perCharacter(String text) {
        StringBuilder weights = new StringBuilder(text.length() * 2);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint > 0xFFFF) {
                weights.append('\uFFFD').append('\uFFFD'); // MySQL weighs every supplementary character alike
                continue;
            }
            CollationElementIterator elements = collator.getCollationElementIterator(String.valueOf((char) codePoint));
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

    private static KeyFold constant(String name, Charset charset) {
        return new KeyFold(name, charset, Kind.CONSTANT, null);
    }

    private static KeyFold perCharacter(String name, Charset charset, String locale) {
        RuleBasedCollator collator = collator(locale, Collator.PRIMARY);
        return collator == null ? constant(name, charset) : new KeyFold(name, charset, Kind.PER_CHARACTER, collator);
    }

    private static KeyFold collationKey(String name, Charset charset, String locale, int strength) {
        RuleBasedCollator collator = collator(locale, strength);
        return collator == null ? constant(name, charset) : new KeyFold(name, charset, Kind.COLLATION_KEY, collator);
    }

    /** A frozen collator, or null when ICU has no collation for the language (it would fall back to the root's). */
    private static RuleBasedCollator collator(String locale, int strength) {
        ULocale uLocale = new ULocale(locale);
        if (!locale.isEmpty() && !ICU_LANGUAGES.contains(uLocale.getLanguage())) {
            return null;
        }
        return COLLATORS.computeIfAbsent(locale + "/" + strength, key -> {
            RuleBasedCollator collator = (RuleBasedCollator) Collator.getInstance(uLocale);
            collator.setStrength(strength);
            collator.setAlternateHandlingShifted(true);
            collator.setDecomposition(Collator.CANONICAL_DECOMPOSITION);
            return (RuleBasedCollator) collator.freeze();
        });
    }

    private static Set<String> icuLanguages() {
        Set<String> languages = new java.util.HashSet<>();
        for (ULocale locale : Collator.getAvailableULocales()) {
            languages.add(locale.getLanguage());
        }
        return Set.copyOf(languages);
    }
}
