package dev.binrelay.engine.assemble;

import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.sql.SqlTokenizer;
import java.util.List;
import java.util.Set;

/**
 * Recognises DDL on binrelay's own checkpoint schema ({@code CREATE DATABASE IF NOT EXISTS binrelay}, {@code CREATE
 * TABLE IF NOT EXISTS binrelay.gtid_executed}, the {@code ALTER TABLE} that upgrades it, ...). A target that is also
 * a source logs these; they must not reach the next target, whose own applier manages that schema.
 *
 * <p>Reads only the statement's head: {@code CREATE|ALTER|DROP|TRUNCATE|RENAME}, the object words, then the first
 * (possibly qualified) name. Stateless and thread-safe.
 */
final class CheckpointSchemaStatements {
    private static final Set<String> VERBS = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME");
    /** Words between the verb and the name, in the statements binrelay's applier and operators run on the schema. */
    private static final Set<String> OBJECT_WORDS = Set.of("TEMPORARY", "TABLE", "TABLES", "IF", "NOT", "EXISTS");
    private static final Set<String> SCHEMA_WORDS = Set.of("DATABASE", "SCHEMA");

    private CheckpointSchemaStatements() {
    }

    /** Whether {@code statement} creates, changes or drops {@code schema} or a table in it. */
    static boolean touches(StatementChange statement, String schema) {
        List<SqlTokenizer.Token> tokens = SqlTokenizer.tokenize(statement.sql(), statement.context().sqlMode());
        if (tokens.isEmpty() || !isVerb(tokens.get(0))) {
            return false;
        }
        boolean onSchema = false;
        int i = 1;
        while (i < tokens.size() && tokens.get(i).type() == SqlTokenizer.Type.WORD
                && isObjectWord(tokens.get(i).text())) {
            onSchema |= SCHEMA_WORDS.contains(upper(tokens.get(i).text()));
            i++;
        }
        if (i >= tokens.size() || tokens.get(i).type() == SqlTokenizer.Type.SYMBOL
                || tokens.get(i).type() == SqlTokenizer.Type.STRING) {
            return false;
        }
        String first = name(tokens.get(i));
        boolean qualified = i + 2 < tokens.size() && tokens.get(i + 1).is('.');
        String named = onSchema || qualified ? first : statement.database();
        return schema.equals(named);
    }

    private static boolean isVerb(SqlTokenizer.Token token) {
        return token.type() == SqlTokenizer.Type.WORD && VERBS.contains(upper(token.text()));
    }

    private static boolean isObjectWord(String word) {
        String upper = upper(word);
        return OBJECT_WORDS.contains(upper) || SCHEMA_WORDS.contains(upper);
    }

    private static String name(SqlTokenizer.Token token) {
        String text = token.text();
        if (token.type() == SqlTokenizer.Type.IDENTIFIER) {
            char quote = text.charAt(0);
            return text.substring(1, text.length() - 1).replace("" + quote + quote, "" + quote);
        }
        return text;
    }

    private static String upper(String word) {
        return word.toUpperCase(java.util.Locale.ROOT);
    }
}
