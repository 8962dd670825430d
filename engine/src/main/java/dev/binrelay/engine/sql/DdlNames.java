package dev.binrelay.engine.sql;

import dev.binrelay.engine.sql.SqlTokenizer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tables and databases a DDL statement names, found in its tokens: what CREATE/ALTER/DROP TABLE, RENAME TABLE,
 * TRUNCATE, CREATE/DROP INDEX, CREATE/ALTER/DROP VIEW, CREATE/DROP TRIGGER and CREATE/ALTER/DROP DATABASE change, and
 * the tables they only refer to in table-name position ({@code LIKE t}, {@code REFERENCES t}, a trigger's own
 * qualified name), so that a rewritten database can be replaced there too. Statements of other kinds (CREATE USER,
 * GRANT, routines, events ...) name no table: the result is empty.
 *
 * <p>Stateless and thread-safe.
 */
public final class DdlNames {
    /** What a name stands for. */
    public enum Kind { TABLE, DATABASE }

    /**
     * One name in the statement.
     *
     * @param kind     a table (or view), or a database
     * @param database the token naming the database; null when the statement leaves it to the default database
     * @param table    the token naming the table; null for a database
     * @param changed  whether the statement changes it (rather than only refer to it)
     */
    public record Name(Kind kind, Token database, Token table, boolean changed) {
        /** Its database: the token's, or {@code defaultDatabase} when unqualified. */
        public String databaseOr(String defaultDatabase) {
            return database == null ? defaultDatabase : identifier(database);
        }
    }

    /** Words that may follow ALTER DATABASE instead of a name (it then alters the default database). */
    private static final Set<String> DATABASE_OPTIONS = Set.of("CHARACTER", "CHARSET", "DEFAULT", "COLLATE",
            "ENCRYPTION", "READ");

    private final List<Token> tokens;
    private final List<Name> names = new ArrayList<>();
    private int at;

    private DdlNames(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static List<Name> of(List<Token> tokens) {
        DdlNames parser = new DdlNames(tokens);
        parser.statement();
        return parser.names;
    }

    /** The name an identifier token stands for: quotes removed, doubled quotes made single. */
    public static String identifier(Token token) {
        if (token.type() != SqlTokenizer.Type.IDENTIFIER) {
            return token.text();
        }
        String text = token.text();
        String quote = text.substring(0, 1);
        return text.substring(1, text.length() - 1).replace(quote + quote, quote);
    }

    private void statement() {
        if (tokens.isEmpty()) {
            return;
        }
        Token first = tokens.get(at++);
        if (first.is("CREATE")) {
            create();
        } else if (first.is("ALTER")) {
            alter();
        } else if (first.is("DROP")) {
            drop();
        } else if (first.is("RENAME") && (accept("TABLE") || accept("TABLES"))) {
            do {
                tableName(true);
                accept("TO");
                tableName(true);
            } while (acceptSymbol(','));
        } else if (first.is("TRUNCATE")) {
            accept("TABLE");
            tableName(true);
        }
    }

    private void create() {
        skipModifiers();
        if (accept("TABLE")) {
            ifExists();
            tableName(true);
            referencedTables();
        } else if (accept("INDEX")) {
            tableAfterOn();
        } else if (accept("VIEW")) {
            tableName(true);
        } else if (accept("TRIGGER")) {
            ifExists();
            tableName(false); // the trigger's name: its database is the table's
            tableAfterOn();
        } else if (accept("DATABASE") || accept("SCHEMA")) {
            ifExists();
            databaseName();
        }
    }

    private void alter() {
        skipModifiers();
        if (accept("TABLE")) {
            tableName(true);
            for (; at < tokens.size(); at++) {
                if (tokens.get(at).is("RENAME") && at + 1 < tokens.size() && !tokens.get(at + 1).is("COLUMN")
                        && !tokens.get(at + 1).is("INDEX") && !tokens.get(at + 1).is("KEY")) {
                    at++;
                    if (!accept("TO")) {
                        accept("AS");
                    }
                    tableName(true);
                    at--;
                } else if (tokens.get(at).is("REFERENCES")) {
                    at++;
                    tableName(false);
                    at--;
                }
            }
        } else if (accept("VIEW")) {
            tableName(true);
        } else if (accept("DATABASE") || accept("SCHEMA")) {
            Token next = peek();
            if (next != null && isName(next) && !(next.type() == SqlTokenizer.Type.WORD
                    && DATABASE_OPTIONS.contains(next.text().toUpperCase(java.util.Locale.ROOT)))) {
                databaseName();
            } else {
                names.add(new Name(Kind.DATABASE, null, null, true)); // the default database
            }
        }
    }

    private void drop() {
        accept("TEMPORARY");
        if (accept("TABLE") || accept("TABLES") || accept("VIEW")) {
            ifExists();
            do {
                tableName(true);
            } while (acceptSymbol(','));
        } else if (accept("INDEX")) {
            tableAfterOn();
        } else if (accept("TRIGGER")) {
            ifExists();
            // Only the trigger's name is given, not its table: judge it by its database.
            Token first = next();
            if (first != null && acceptSymbol('.')) {
                names.add(new Name(Kind.DATABASE, first, null, true));
                next();
            } else {
                names.add(new Name(Kind.DATABASE, null, null, true));
            }
        } else if (accept("DATABASE") || accept("SCHEMA")) {
            ifExists();
            databaseName();
        }
    }

    /** OR REPLACE, TEMPORARY, UNIQUE/FULLTEXT/SPATIAL, ALGORITHM = x, DEFINER = user, SQL SECURITY x. */
    private void skipModifiers() {
        while (at < tokens.size()) {
            if (accept("OR")) {
                accept("REPLACE");
            } else if (accept("TEMPORARY") || accept("UNIQUE") || accept("FULLTEXT") || accept("SPATIAL")
                    || accept("ONLINE") || accept("OFFLINE") || accept("IGNORE")) {
                continue;
            } else if (accept("ALGORITHM")) {
                acceptSymbol('=');
                next();
            } else if (accept("DEFINER")) {
                acceptSymbol('=');
                next(); // user, 'user', CURRENT_USER
                while (acceptSymbol('@')) {
                    next();
                }
                if (acceptSymbol('(')) {
                    acceptSymbol(')');
                }
            } else if (accept("SQL")) {
                accept("SECURITY");
                next();
            } else {
                return;
            }
        }
    }

    private void ifExists() {
        if (accept("IF")) {
            accept("NOT");
            accept("EXISTS");
        }
    }

    /** CREATE INDEX i ON t, DROP INDEX i ON t, CREATE TRIGGER ... ON t: the first ON is the table's. */
    private void tableAfterOn() {
        while (at < tokens.size()) {
            if (next().is("ON")) {
                tableName(true);
                return;
            }
        }
    }

    /** LIKE t and REFERENCES t in a CREATE TABLE: tables it refers to without changing them. */
    private void referencedTables() {
        for (; at < tokens.size(); at++) {
            if ((tokens.get(at).is("LIKE") || tokens.get(at).is("REFERENCES")) && at + 1 < tokens.size()
                    && isName(tokens.get(at + 1))) {
                at++;
                tableName(false);
                at--;
            }
        }
    }

    private void tableName(boolean changed) {
        Token first = next();
        if (first == null || !isName(first)) {
            return;
        }
        if (acceptSymbol('.')) {
            Token table = next();
            if (table != null && isName(table)) {
                names.add(new Name(Kind.TABLE, first, table, changed));
            }
        } else {
            names.add(new Name(Kind.TABLE, null, first, changed));
        }
    }

    private void databaseName() {
        Token name = next();
        if (name != null && isName(name)) {
            names.add(new Name(Kind.DATABASE, name, null, true));
        }
    }

    private static boolean isName(Token token) {
        return token.type() == SqlTokenizer.Type.WORD || token.type() == SqlTokenizer.Type.IDENTIFIER;
    }

    private Token peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private Token next() {
        return at < tokens.size() ? tokens.get(at++) : null;
    }

    private boolean accept(String keyword) {
        if (at < tokens.size() && tokens.get(at).is(keyword)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(char symbol) {
        if (at < tokens.size() && tokens.get(at).is(symbol)) {
            at++;
            return true;
        }
        return false;
    }
}
