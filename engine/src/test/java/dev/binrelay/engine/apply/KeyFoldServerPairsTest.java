package dev.binrelay.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.testkit.EmbeddedMySql;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link KeyFoldTest}'s pairs asked of a real MySQL 8.0.31, so that the table is MySQL's, not our memory's. */
class KeyFoldServerPairsTest {
    private static EmbeddedMySql server;

    @BeforeAll
    static void start() {
        server = EmbeddedMySql.startTarget();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Values where collations are known to disagree with each other: expansions, special letters, spaces. */
    private static final List<String> SAMPLES = List.of("a", "A", "á", "ä", "Ä", "ae", "AE", "æ", "Æ", "å", "aa",
            "ß", "s", "ss", "SS", "ẞ", "ø", "ö", "oe", "œ", "ü", "ue", "y", "đ", "Đ", "d", "ð", "Ð", "þ", "th", "i", "ı",
            "İ", "ñ", "n", "ﬁ", "fi", "ch", "c", "ll", "l", "a ", "a  ", " a", "a-b", "ab", "a\u00adb", "ǆ", "dž",
            "\u00b5", "μ", "😀", "😁", "");
    private static final List<String> COLLATIONS = List.of("utf8mb4_0900_ai_ci", "utf8mb4_0900_as_ci",
            "utf8mb4_0900_as_cs", "utf8mb4_0900_bin", "utf8mb4_bin", "utf8mb4_general_ci", "utf8mb3_general_ci",
            "utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci", "utf8mb4_swedish_ci", "utf8mb4_german2_ci",
            "utf8mb4_spanish2_ci", "utf8mb4_de_pb_0900_ai_ci", "utf8mb4_sv_0900_ai_ci", "utf8mb4_da_0900_ai_ci",
            "utf8mb4_es_trad_0900_ai_ci", "utf8mb4_hu_0900_ai_ci", "utf8mb4_tr_0900_ai_ci", "utf8mb4_ja_0900_as_cs",
            "latin1_swedish_ci", "latin1_german1_ci", "latin1_german2_ci", "latin1_danish_ci", "latin1_spanish_ci",
            "latin1_general_ci", "latin1_general_cs", "latin1_bin");

    @Test
    void everySampleThePairsServerCallsEqualFoldsAlike() throws Exception {
        List<String> missed = new ArrayList<>();
        try (Connection connection = server.connect()) {
            for (String collation : COLLATIONS) {
                String charset = collation.substring(0, collation.indexOf('_'));
                Charset java = collation.startsWith("latin1") ? Charset.forName("windows-1252")
                        : StandardCharsets.UTF_8;
                KeyFold fold = fold(connection, collation, java);
                List<String> values = SAMPLES.stream().filter(value -> java.newEncoder().canEncode(value)
                        && (!charset.equals("utf8mb3") || value.codePoints().allMatch(c -> c <= 0xFFFF))).toList();
                String sql = "SELECT CONVERT(? USING " + charset + ") COLLATE " + collation + " = CONVERT(? USING "
                        + charset + ") COLLATE " + collation;
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < values.size(); i++) {
                        for (int j = i + 1; j < values.size(); j++) {
                            statement.setString(1, values.get(i));
                            statement.setString(2, values.get(j));
                            try (ResultSet rows = statement.executeQuery()) {
                                rows.next();
                                boolean equal = rows.getInt(1) == 1;
                                if (equal && !fold.fold(values.get(i).getBytes(java), 0)
                                        .equals(fold.fold(values.get(j).getBytes(java), 0))) {
                                    missed.add(collation + ": '" + values.get(i) + "' = '" + values.get(j) + "'");
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(missed).as("pairs the server calls equal that fold apart").isEmpty();
    }

    /**
     * Every character of the BMP (every byte for latin1) alone, grouped by the server's WEIGHT_STRING: characters
     * of one weight fold alike. Exhaustive for the collations that weigh one character at a time.
     */
    @Test
    void everySingleCharacterOfOneServerWeightFoldsAlike() throws Exception {
        List<String> missed = new ArrayList<>();
        try (Connection connection = server.connect(); Statement session = connection.createStatement()) {
            session.execute("SET SESSION cte_max_recursion_depth = 70000");
            for (String collation : List.of("utf8mb4_general_ci", "utf8mb3_general_ci", "utf8mb4_0900_ai_ci",
                    "utf8mb4_0900_as_ci", "utf8mb4_0900_as_cs", "utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci",
                    "utf8mb4_bin", "utf8mb4_0900_bin", "latin1_swedish_ci", "latin1_german1_ci", "latin1_german2_ci", "latin1_danish_ci",
                    "latin1_spanish_ci", "latin1_general_ci", "latin1_general_cs", "latin1_bin")) {
                boolean latin1 = collation.startsWith("latin1");
                Charset java = latin1 ? Charset.forName("windows-1252") : StandardCharsets.UTF_8;
                KeyFold fold = fold(connection, collation, java);
                String character = latin1 ? "CONVERT(UNHEX(LPAD(HEX(c), 2, '0')) USING latin1)"
                        : "CONVERT(CONVERT(UNHEX(LPAD(HEX(c), 4, '0')) USING utf16) USING "
                        + collation.substring(0, collation.indexOf('_')) + ")";
                String sql = "WITH RECURSIVE n (c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM n WHERE c < "
                        + (latin1 ? 255 : 65533) + ") SELECT HEX(" + character + "), HEX(WEIGHT_STRING(" + character
                        + " COLLATE " + collation + ")) FROM n WHERE c < 55296 OR c > 57343";
                int missedBefore = missed.size();
                Map<String, String> foldOfWeight = new HashMap<>();
                Map<String, String> firstOfWeight = new HashMap<>();
                try (ResultSet rows = session.executeQuery(sql)) {
                    while (rows.next()) {
                        byte[] stored = HexFormat.of().parseHex(rows.getString(1));
                        String weight = rows.getString(2);
                        String folded = fold.fold(stored, 0);
                        String known = foldOfWeight.putIfAbsent(weight, folded);
                        String text = new String(stored, java);
                        firstOfWeight.putIfAbsent(weight, text);
                        if (known != null && !known.equals(folded) && missed.size() < missedBefore + 5) {
                            missed.add(collation + ": '" + firstOfWeight.get(weight) + "' = '" + text + "' (U+"
                                    + Integer.toHexString(text.codePointAt(0)) + ")");
                        }
                    }
                }
            }
        }
        assertThat(missed).as("characters the server weighs alike that fold apart").isEmpty();
    }

    /** As the target catalog folds: from the server's weights for a one-byte charset. */
    static KeyFold fold(Connection connection, String collation, Charset java) throws Exception {
        KeyFold weighed = CollationWeights.read(connection, collation.substring(0, collation.indexOf('_')), collation,
                java);
        return weighed != null ? weighed : KeyFold.of(collation, java);
    }

    @Test
    void everyPairIsEqualOnTheServerExactlyWhenTheTableSaysSo() throws Exception {
        try (Connection connection = server.connect()) {
            for (KeyFoldTest.Pair pair : KeyFoldTest.PAIRS) {
                String charset = pair.collation().substring(0, pair.collation().indexOf('_'));
                String sql = "SELECT CONVERT(? USING " + charset + ") COLLATE " + pair.collation()
                        + " = CONVERT(? USING " + charset + ") COLLATE " + pair.collation();
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, pair.left());
                    statement.setString(2, pair.right());
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        assertThat(rows.getInt(1) == 1).as("'%s' = '%s' under %s on the server", pair.left(),
                                pair.right(), pair.collation()).isEqualTo(pair.equal());
                    }
                    KeyFold fold = fold(connection, pair.collation(), pair.charset());
                    if (pair.equal()) {
                        assertThat(fold.fold(pair.left().getBytes(pair.charset()), 0))
                                .as("'%s' = '%s' under %s (%s)", pair.left(), pair.right(), pair.collation(), fold)
                                .isEqualTo(fold.fold(pair.right().getBytes(pair.charset()), 0));
                    }
                }
            }
        }
    }
}
