package dev.binrelay.benchmarks.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random schemas from a seed: two databases (so the database scheduler has something to split), each with a few
 * tables of every {@link TableShape}, nullable, collation-insensitive, prefix and functional unique keys, foreign keys
 * with CASCADE, SET NULL or RESTRICT, a random mix of every {@link ColumnKind}, and a generated column.
 */
final class SchemaGenerator {
    private static final List<String> FK_ACTIONS = List.of("CASCADE", "SET NULL", "RESTRICT");
    private static final int MIN_TABLES = 2;
    private static final int MAX_TABLES = 4;

    private final Random random;

    SchemaGenerator(long seed) {
        this.random = new Random(seed ^ 0x5EEDL);
    }

    /** A new schema; the same seed always gives the same one. */
    GeneratedSchema generate() {
        List<String> schemas = List.of("fz_a", "fz_b");
        List<TableSpec> tables = new ArrayList<>();
        for (String schema : schemas) {
            int count = MIN_TABLES + random.nextInt(MAX_TABLES - MIN_TABLES + 1);
            List<TableSpec> inSchema = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                TableSpec table = table(schema, "t" + i, inSchema);
                inSchema.add(table);
            }
            tables.addAll(inSchema);
        }
        return new GeneratedSchema(schemas, List.copyOf(tables));
    }

    private TableSpec table(String schema, String name, List<TableSpec> earlier) {
        TableShape[] shapes = TableShape.values();
        TableShape shape = shapes[random.nextInt(shapes.length)];
        String collation = Collations.pick(random);
        boolean uniqueText = shape != TableShape.KEYLESS && random.nextInt(3) > 0;
        boolean prefixUnique = shape != TableShape.KEYLESS && random.nextInt(3) == 0;
        boolean functional = shape != TableShape.KEYLESS && random.nextInt(3) == 0;
        List<TableSpec> parents = earlier.stream().filter(TableSpec::referenceable).toList();
        String parent = !parents.isEmpty() && random.nextInt(3) > 0
                ? parents.get(random.nextInt(parents.size())).qualified() : null;
        List<ColumnKind> values = new ArrayList<>();
        ColumnKind[] kinds = ColumnKind.values();
        int valueCount = 3 + random.nextInt(6);
        for (int i = 0; i < valueCount; i++) {
            values.add(kinds[random.nextInt(kinds.length)]);
        }

        List<String> definitions = new ArrayList<>();
        definitions.add(switch (shape) {
            case PRIMARY_KEY, COMPOSITE_KEY, NOT_NULL_UNIQUE -> "id INT NOT NULL";
            case KEYLESS, NULLABLE_UNIQUE -> "id INT NULL";
        });
        if (shape == TableShape.COMPOSITE_KEY) {
            definitions.add("tag VARCHAR(6) " + Collations.clause(collation) + " NOT NULL");
        }
        if (uniqueText) {
            definitions.add("u VARCHAR(8) " + Collations.clause(collation) + " NULL");
        }
        if (prefixUnique) {
            definitions.add("p TEXT " + Collations.clause(collation) + " NULL");
        }
        if (functional) {
            definitions.add("f INT NULL");
        }
        if (parent != null) {
            definitions.add("pid INT NULL");
        }
        for (int i = 0; i < values.size(); i++) {
            definitions.add("c" + i + " " + values.get(i).sqlType(collation) + " NULL");
        }
        definitions.add("g BIGINT AS (COALESCE(id, 0) * 3 + 1) " + (random.nextBoolean() ? "STORED" : "VIRTUAL"));
        switch (shape) {
            case PRIMARY_KEY -> definitions.add("PRIMARY KEY (id)");
            case COMPOSITE_KEY -> definitions.add("PRIMARY KEY (id, tag)");
            case NOT_NULL_UNIQUE, NULLABLE_UNIQUE -> definitions.add("UNIQUE KEY uk_id (id)");
            case KEYLESS -> definitions.add("KEY k_id (id)");
        }
        if (uniqueText) {
            definitions.add("UNIQUE KEY uk_u (u)");
        }
        if (prefixUnique) {
            definitions.add("UNIQUE KEY uk_p (p(3))");
        }
        if (functional) {
            definitions.add("UNIQUE KEY uk_f ((ABS(f)))");
        }
        if (random.nextBoolean()) {
            definitions.add("KEY k_g (g)");
        }
        if (parent != null) {
            definitions.add("CONSTRAINT fk_" + name + " FOREIGN KEY (pid) REFERENCES " + parent + " (id) ON DELETE "
                    + action() + " ON UPDATE " + action());
        }
        String create = "CREATE TABLE `" + schema + "`.`" + name + "` (" + String.join(", ", definitions)
                + ") ENGINE=InnoDB";
        return new TableSpec(schema, name, shape, collation, uniqueText, prefixUnique, functional, parent,
                List.copyOf(values), create);
    }

    private String action() {
        return FK_ACTIONS.get(random.nextInt(FK_ACTIONS.size()));
    }
}
