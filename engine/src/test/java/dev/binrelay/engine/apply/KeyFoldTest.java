package dev.binrelay.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The collation name to fold decision: pairs MySQL calls equal fold alike; some it tells apart fold apart. */
class KeyFoldTest {
    /**
     * One pair of values under one collation, and whether MySQL calls them equal. {@link KeyFoldServerPairsTest}
     * checks every row against a real server.
     */
    record Pair(String collation, String left, String right, boolean equal) {
        Charset charset() {
            return collation.startsWith("latin1") ? Charset.forName("windows-1252") : StandardCharsets.UTF_8;
        }
    }

    static final List<Pair> PAIRS = List.of(
            new Pair("utf8mb4_0900_ai_ci", "ss", "ß", true),
            new Pair("utf8mb4_0900_ai_ci", "a", "A", true),
            new Pair("utf8mb4_0900_ai_ci", "a", "á", true),
            new Pair("utf8mb4_0900_ai_ci", "Résumé", "resume", true),
            new Pair("utf8mb4_0900_ai_ci", "a", "b", false),
            new Pair("utf8mb4_0900_as_ci", "a", "A", true),
            new Pair("utf8mb4_0900_as_ci", "a", "á", false),
            new Pair("utf8mb4_0900_as_cs", "a", "A", false),
            new Pair("utf8mb4_0900_as_cs", "a", "á", false),
            new Pair("utf8mb4_unicode_ci", "ss", "ß", true),
            new Pair("utf8mb4_unicode_ci", "a", "a  ", true),
            new Pair("utf8mb4_unicode_520_ci", "A", "á", true),
            new Pair("utf8mb4_unicode_ci", "😀", "😁", true),
            new Pair("utf8mb4_unicode_520_ci", "😀", "😁", false),
            new Pair("utf8mb4_general_ci", "ß", "s", true),
            new Pair("utf8mb4_general_ci", "a", "Á  ", true),
            new Pair("utf8mb4_general_ci", "a", "b", false),
            new Pair("utf8mb4_general_ci", "ı", "İ", true),
            new Pair("utf8mb4_bin", "a", "a  ", true),
            new Pair("utf8mb4_bin", "a", "A", false),
            new Pair("utf8mb4_0900_bin", "a", "A", false),
            new Pair("latin1_swedish_ci", "a", "A  ", true),
            new Pair("latin1_swedish_ci", "a", "á", true),
            new Pair("latin1_swedish_ci", "a", "b", false),
            new Pair("latin1_german2_ci", "ä", "ae", true),
            new Pair("latin1_german1_ci", "ä", "a", true),
            new Pair("latin1_swedish_ci", "ü", "y", true),
            new Pair("latin1_bin", "a", "A", false),
            new Pair("latin1_bin", "a", "a ", true));

    /** Folded coarser than MySQL on purpose (see {@link KeyFold}): pairs it tells apart may fold alike. */
    private static final Set<String> COARSER = Set.of("utf8mb4_0900_as_ci", "utf8mb4_0900_as_cs");

    @Test
    void pairsMySqlCallsEqualFoldAlikeAndTheOnesItTellsApartFoldApartUnlessFoldedCoarser() {
        for (Pair pair : PAIRS) {
            KeyFold fold = KeyFold.of(pair.collation(), pair.charset());
            boolean alike = fold.fold(pair.left().getBytes(pair.charset()), 0)
                    .equals(fold.fold(pair.right().getBytes(pair.charset()), 0));
            assertThat(alike).as("'%s' and '%s' under %s (%s)", pair.left(), pair.right(), pair.collation(), fold)
                    .isEqualTo(pair.equal() || fold.constant() || COARSER.contains(pair.collation()));
        }
        for (String folded : List.of("utf8mb4_0900_ai_ci", "utf8mb4_0900_as_cs", "utf8mb4_general_ci",
                "utf8mb3_general_ci", "utf8mb4_bin", "utf8mb4_0900_bin")) {
            assertThat(KeyFold.of(folded, StandardCharsets.UTF_8).constant()).as(folded).isFalse();
        }
        for (String constant : List.of("utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci", "utf8mb4_da_0900_ai_ci",
                "utf8mb4_swedish_ci", "latin1_swedish_ci")) {
            assertThat(KeyFold.of(constant, StandardCharsets.UTF_8).constant())
                    .as("%s without the server's weights", constant).isTrue();
        }
    }

    @Test
    void anUnknownCollationFoldsEveryValueAlike() {
        KeyFold fold = KeyFold.of("utf8mb4_klingon_0900_ai_ci", StandardCharsets.UTF_8);
        assertThat(fold.constant()).isTrue();
        assertThat(fold.fold("x".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(fold.fold("y".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(KeyFold.of("gb18030_unicode_520_ci_made_up", StandardCharsets.UTF_8).constant()).isTrue();
    }

    @Test
    void aPrefixIsTakenInCharactersOfTheOriginalTextBeforeFolding() {
        KeyFold fold = KeyFold.of("utf8mb4_0900_ai_ci", StandardCharsets.UTF_8);
        // MySQL's prefix index keeps the first characters as stored: 'aß' of "aßc", 'as' of "assz", which differ
        assertThat(fold.fold(utf8("aßc"), 2)).isEqualTo(fold.fold(utf8("ASS"), 0));
        assertThat(fold.fold(utf8("aßc"), 2)).isNotEqualTo(fold.fold(utf8("assz"), 2));
        assertThat(fold.fold("Émile@one".getBytes(StandardCharsets.UTF_8), 5))
                .isEqualTo(fold.fold("emile@two".getBytes(StandardCharsets.UTF_8), 5));
        assertThat(fold.fold("😀😀x".getBytes(StandardCharsets.UTF_8), 2))
                .as("a prefix counts code points").isEqualTo(fold.fold("😀😀y".getBytes(StandardCharsets.UTF_8), 2));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
