package dev.binrelay.engine.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/** Reads a one-byte charset collation's weight of every byte from a server, for {@link KeyFold#ofByteWeights}. */
public final class CollationWeights {
    private static final String MAXLEN = "SELECT maxlen FROM information_schema.character_sets "
            + "WHERE character_set_name = ?";

    private CollationWeights() {
    }

    /**
     * The fold of a collation of a one-byte charset from the server's own weights, or null when the charset has
     * characters of more than one byte.
     */
    public static KeyFold read(Connection connection, String charset, String collation, java.nio.charset.Charset java)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MAXLEN)) {
            statement.setString(1, charset);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || rows.getInt(1) != 1) {
                    return null;
                }
            }
        }
        if (!charset.matches("[a-z0-9]+") || !collation.matches("[a-z0-9_]+")) {
            return null; // names come from information_schema; anything else is not spliced into SQL
        }
        String character = "CONVERT(UNHEX(LPAD(HEX(b), 2, '0')) USING " + charset + ")";
        String sql = "WITH RECURSIVE n (b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM n WHERE b < 255) "
                + "SELECT b, HEX(WEIGHT_STRING(" + character + " COLLATE " + collation + ")) FROM n";
        byte[][] weights = new byte[256][];
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String hex = rows.getString(2);
                weights[rows.getInt(1)] = hex == null ? new byte[0] : HexFormat.of().parseHex(hex);
            }
        }
        for (byte[] weight : weights) {
            if (weight == null) {
                throw new SQLException("collation " + collation + ": the server did not weigh every byte");
            }
        }
        return KeyFold.ofByteWeights(collation, java, weights);
    }
}
