package dev.binrelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.schema.ColumnShape;
import dev.binrelay.schema.Identifiers;
import dev.binrelay.schema.TableShape;
import dev.binrelay.schema.TableShapes;
import dev.binrelay.schema.UniqueKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema module's reader against a real MySQL 8.0 (here, since testkit, which starts the servers, depends on the
 * schema module): columns by ordinal position, unique keys primary first with their parts in index order.
 */
class TableShapesTest {
    private static EmbeddedMySql server;
    private static Connection connection;

    @BeforeAll
    static void start() throws SQLException {
        server = EmbeddedMySql.startTarget();
        server.execute("CREATE DATABASE shapes",
                "CREATE TABLE shapes.t (b INT UNSIGNED NOT NULL, a VARCHAR(20) CHARACTER SET latin1 NOT NULL, "
                        + "d DECIMAL(9,3), v VARCHAR(40) NOT NULL, Mixed INT NOT NULL, "
                        + "g INT AS (b + 1) VIRTUAL, s INT AS (b * 2) STORED, "
                        + "e VARCHAR(36) DEFAULT (uuid()), ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, "
                        + "h INT INVISIBLE, n INT, "
                        + "PRIMARY KEY (b, a), UNIQUE KEY a_first (Mixed), UNIQUE KEY prefixed (v(10), b), "
                        + "UNIQUE KEY nullable (n), UNIQUE KEY z_functional ((lower(v)), b), KEY plain (d))",
                "ALTER TABLE shapes.t ADD COLUMN f INT FIRST",
                "CREATE TABLE shapes.`we``ird` (`x``y` INT)");
        connection = server.connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        server.close();
    }

    @Test
    void columnsComeByOrdinalPositionWithWhatInformationSchemaSays() throws SQLException {
        TableShape shape = TableShapes.read(connection, "shapes", "t").orElseThrow();

        assertThat(shape.columns()).extracting(ColumnShape::name)
                .containsExactly("f", "b", "a", "d", "v", "Mixed", "g", "s", "e", "ts", "h", "n");
        ColumnShape b = shape.columns().get(1);
        assertThat(b.dataType()).isEqualTo("int");
        assertThat(b.unsigned()).isTrue();
        assertThat(b.nullable()).isFalse();
        assertThat(b.columnKey()).isEqualTo("PRI");
        assertThat(b.charset()).isNull();
        ColumnShape a = shape.column("A").orElseThrow();
        assertThat(a.charset()).isEqualTo("latin1");
        assertThat(a.collation()).isEqualTo("latin1_swedish_ci");
        assertThat(a.maxBytes()).isEqualTo(20);
        assertThat(a.columnType()).isEqualTo("varchar(20)");
        ColumnShape d = shape.column("d").orElseThrow();
        assertThat(d.nullable()).isTrue();
        assertThat(d.precision()).isEqualTo(9);
        assertThat(d.scale()).isEqualTo(3);
        assertThat(d.unsigned()).isFalse();
        assertThat(shape.column("v").orElseThrow().maxBytes()).isEqualTo(160); // utf8mb4: 4 bytes a character
        assertThat(shape.indexOf("mixed")).isEqualTo(5);
        assertThat(shape.indexOf("nope")).isEqualTo(-1);
        assertThat(shape.column("h").orElseThrow().extra()).contains("INVISIBLE");
    }

    @Test
    void generatedMeansVirtualOrStoredNotAnExpressionDefault() throws SQLException {
        TableShape shape = TableShapes.read(connection, "shapes", "t").orElseThrow();

        assertThat(shape.columns()).filteredOn(ColumnShape::generated).extracting(ColumnShape::name)
                .containsExactly("g", "s");
        assertThat(shape.column("e").orElseThrow().extra()).contains("DEFAULT_GENERATED");
        // The snapshot read GENERATION_EXPRESSION where the applier read EXTRA: on MySQL both marks say the same.
        for (ColumnShape column : shape.columns()) {
            boolean byExtra = column.extra().contains("VIRTUAL GENERATED")
                    || column.extra().contains("STORED GENERATED");
            assertThat(!column.generationExpression().isEmpty()).as(column.name()).isEqualTo(byExtra);
        }
    }

    @Test
    void uniqueKeysComePrimaryFirstThenByNameWithTheirPartsInIndexOrder() throws SQLException {
        TableShape shape = TableShapes.read(connection, "shapes", "t").orElseThrow();

        assertThat(shape.uniqueKeys()).extracting(UniqueKey::name)
                .containsExactly("PRIMARY", "a_first", "nullable", "prefixed", "z_functional"); // not "plain"
        UniqueKey primary = shape.primaryKey().orElseThrow();
        assertThat(primary.primary()).isTrue();
        assertThat(primary.columnNames()).containsExactly("b", "a");
        assertThat(primary.functional()).isFalse();
        UniqueKey prefixed = shape.uniqueKeys().get(3);
        assertThat(prefixed.parts()).containsExactly(new UniqueKey.Part("v", 10), new UniqueKey.Part("b", 0));
        UniqueKey functional = shape.uniqueKeys().get(4);
        assertThat(functional.functional()).isTrue();
        assertThat(functional.primary()).isFalse();
        assertThat(functional.columnNames()).containsExactly(null, "b");
    }

    @Test
    void aMissingTableHasNoShapeAndAKeylessOneWithQuotedNamesNoKeys() throws SQLException {
        assertThat(TableShapes.read(connection, "shapes", "missing")).isEmpty();
        assertThat(TableShapes.columns(connection, "shapes", "missing")).isEmpty();
        assertThat(TableShapes.read(connection, "nowhere", "t")).isEmpty();

        TableShape weird = TableShapes.read(connection, "shapes", "we`ird").orElseThrow();
        assertThat(weird.columns()).extracting(ColumnShape::name).containsExactly("x`y");
        assertThat(weird.uniqueKeys()).isEmpty();
        assertThat(weird.primaryKey()).isEmpty();
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + Identifiers.qualified("shapes", "we`ird") + " ("
                    + Identifiers.quote("x`y") + ") VALUES (1)");
        }
        assertThat(TableChecksum.of(connection, "shapes", "we`ird").rows()).isEqualTo(1);
        assertThat(TableChecksum.of(connection, "shapes", "t").rows()).isZero();
    }
}
