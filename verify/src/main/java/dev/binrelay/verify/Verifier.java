package dev.binrelay.verify;

import dev.binrelay.checkpoint.CheckpointStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a binrelay replica's target with its source, table by table in primary-key chunks, while replication
 * goes on: each chunk is checksummed on the source under a short lock, the target is given time to apply everything
 * the source had executed at that moment (its checkpoint), and the same chunk is checksummed there. Differing chunks
 * are diffed row by row. See {@link ChunkVerifier} for why the two sides are compared at the same point.
 *
 * <pre>{@code
 * VerifyReport report = Verifier.builder()
 *         .source("jdbc:mysql://source:3306/", "binrelay", sourcePassword)
 *         .target("jdbc:mysql://replica:3306/", "binrelay", targetPassword)
 *         .tables(List.of("shop.%"))
 *         .build()
 *         .verify();
 * }</pre>
 *
 * <p>The source user needs {@code SELECT} on the verified tables (enough for the locking reads on MySQL 8.0.31); the
 * target user {@code SELECT} on them and on the checkpoint table. Not thread-safe: one verification at a time per
 * instance.
 */
public final class Verifier {
    /** Rows per chunk unless set: small enough that a chunk's lock on the source lasts milliseconds. */
    public static final int DEFAULT_CHUNK_ROWS = 1000;
    /** How long a chunk waits for the target unless set. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    /** Differing rows listed per chunk; the rest are counted. */
    public static final int ROWS_LISTED_PER_CHUNK = 20;
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Endpoint source;
    private final Endpoint target;
    private final String checkpointSchema;
    private final String channel;
    private final TableSelector selector;
    private final UnaryOperator<String> targetDatabase;
    private final int chunkRows;
    private final Duration maxWait;

    private Verifier(Builder builder) {
        this.source = Objects.requireNonNull(builder.source, "source");
        this.target = Objects.requireNonNull(builder.target, "target");
        this.checkpointSchema = builder.checkpointSchema;
        this.channel = builder.channel;
        this.selector = new TableSelector(builder.tables, builder.checkpointSchema, builder.replicated);
        this.targetDatabase = builder.targetDatabase;
        this.chunkRows = builder.chunkRows;
        this.maxWait = builder.maxWait;
    }

    /** A builder: source and target are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the selected tables.
     *
     * @throws VerifyException          when a server cannot be reached or the target has no checkpoint table
     * @throws IllegalArgumentException when a table pattern matches no table on the source
     * @throws InterruptedException     when interrupted; the source transaction in progress is rolled back
     */
    public VerifyReport verify() throws InterruptedException {
        long started = System.nanoTime();
        try (Connection sourceConnection = source.connect("source");
             Connection targetConnection = target.connect("target")) {
            prepare(sourceConnection);
            prepare(targetConnection);
            sourceConnection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            List<TableSelector.TableName> tables = selector.select(sourceConnection);
            TargetCheckpoint checkpoint = new TargetCheckpoint(targetConnection,
                    new CheckpointStore(checkpointSchema, channel), maxWait);
            requireCheckpoint(checkpoint);
            LOG.info("verifying {} tables in chunks of {} rows", tables.size(), chunkRows);
            TableVerifier verifier = new TableVerifier(sourceConnection, targetConnection, checkpoint, chunkRows,
                    ROWS_LISTED_PER_CHUNK);
            List<TableReport> reports = new ArrayList<>();
            boolean targetLagged = false;
            for (TableSelector.TableName table : tables) {
                if (targetLagged) {
                    reports.add(skipped(table));
                    continue;
                }
                TableVerifier.Result result = verifyTable(verifier, table);
                reports.add(result.report());
                targetLagged = result.targetLagged();
            }
            return new VerifyReport(reports, Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException e) {
            throw new VerifyException("verification failed: " + e.getMessage(), e);
        }
    }

    /** One table; an error that is not about the connection leaves it unverified and goes on with the next. */
    private TableVerifier.Result verifyTable(TableVerifier verifier, TableSelector.TableName table)
            throws SQLException, InterruptedException {
        try {
            return verifier.verify(table.schema(), table.table(), targetDatabase.apply(table.schema()));
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e; // the connection is gone: every later table would fail the same way
            }
            LOG.warn("{}.{} not verified: {}", table.schema(), table.table(), e.getMessage());
            return new TableVerifier.Result(unverified(table, "table: " + e.getMessage()), false);
        }
    }

    private static TableReport skipped(TableSelector.TableName table) {
        return unverified(table, "table: not verified, skipped after the target lagged");
    }

    /** A table none of whose chunks was compared. */
    private static TableReport unverified(TableSelector.TableName table, String reason) {
        return new TableReport(table.schema(), table.table(), TableReport.Chunking.PRIMARY_KEY, 0, 0, null, 0,
                List.of(), 0, List.of(reason), Duration.ZERO);
    }

    /** Same session settings on both sides, so that both print TIMESTAMP values alike. */
    private static void prepare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00'");
        }
    }

    private void requireCheckpoint(TargetCheckpoint checkpoint) {
        try {
            checkpoint.load();
        } catch (SQLException e) {
            throw new VerifyException("cannot read the checkpoint " + checkpointSchema + ".gtid_executed on target "
                    + target.displayUrl() + " (is binrelay replicating to it with checkpoint.schema "
                    + checkpointSchema + "?): " + e.getMessage(), e);
        }
    }

    /** A server to connect to. */
    private record Endpoint(String url, String user, String password, Properties extra) {
        Endpoint {
            Objects.requireNonNull(url, "url");
            if (!url.startsWith("jdbc:mysql://")) {
                throw new IllegalArgumentException("a MySQL JDBC URL starting with jdbc:mysql:// is needed, not '"
                        + withoutQuery(url) + "'");
            }
            Objects.requireNonNull(user, "user");
            password = password == null ? "" : password;
            Properties copy = new Properties();
            copy.putAll(extra);
            extra = copy;
        }

        Connection connect(String role) {
            Properties properties = new Properties();
            properties.putAll(extra);
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
            try {
                return DriverManager.getConnection(url, properties);
            } catch (SQLException e) {
                throw new VerifyException("cannot connect to " + role + " " + displayUrl() + " as '" + user + "': "
                        + e.getMessage(), e);
            }
        }

        /** The URL without its query string, where a password could hide. */
        String displayUrl() {
            return withoutQuery(url);
        }

        private static String withoutQuery(String url) {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query);
        }

        @Override
        public String toString() {
            return user + "@" + displayUrl();
        }
    }

    /** Configures a {@link Verifier}. */
    public static final class Builder {
        private Endpoint source;
        private Endpoint target;
        private String checkpointSchema = "binrelay";
        private String channel = "default";
        private List<String> tables = List.of();
        private BiPredicate<String, String> replicated = (schema, table) -> true;
        private UnaryOperator<String> targetDatabase = UnaryOperator.identity();
        private int chunkRows = DEFAULT_CHUNK_ROWS;
        private Duration maxWait = DEFAULT_MAX_WAIT;

        private Builder() {
        }

        /** The source, the server the replica reads from. */
        public Builder source(String jdbcUrl, String user, String password) {
            return source(jdbcUrl, user, password, new Properties());
        }

        /**
         * The source, with more Connector/J properties (TLS trust and key stores, for instance); the password given
         * here wins over any in {@code connectionProperties}.
         */
        public Builder source(String jdbcUrl, String user, String password, Properties connectionProperties) {
            this.source = new Endpoint(jdbcUrl, user, password, connectionProperties);
            return this;
        }

        /** The target, the server binrelay applies to and records its checkpoint on. */
        public Builder target(String jdbcUrl, String user, String password) {
            return target(jdbcUrl, user, password, new Properties());
        }

        /** The target, with more Connector/J properties, as for {@link #source(String, String, String, Properties)}. */
        public Builder target(String jdbcUrl, String user, String password, Properties connectionProperties) {
            this.target = new Endpoint(jdbcUrl, user, password, connectionProperties);
            return this;
        }

        /** The replica's checkpoint: {@code checkpoint.schema} and {@code checkpoint.channel} (binrelay, default). */
        public Builder checkpoint(String schema, String channel) {
            new CheckpointStore(schema, channel); // validates both names
            this.checkpointSchema = schema;
            this.channel = channel;
            return this;
        }

        /**
         * The tables to verify, as {@code schema.table} patterns where {@code %} matches any characters; empty (the
         * default) for every base table outside MySQL's own schemas and the checkpoint schema.
         *
         * @throws IllegalArgumentException for a pattern that is not {@code schema.table}
         */
        public Builder tables(List<String> patterns) {
            new TableSelector(patterns, checkpointSchema, replicated); // validates the patterns now
            this.tables = List.copyOf(patterns);
            return this;
        }

        /**
         * The replica's table filter: {@code replicated.test(schema, table)} tells whether it copies source table
         * {@code schema.table} to the target. Tables it leaves out are not verified, nor reported missing. Every
         * table by default.
         */
        public Builder replicatedTables(BiPredicate<String, String> replicated) {
            this.replicated = Objects.requireNonNull(replicated, "replicated");
            return this;
        }

        /**
         * The replica's database rewrite: source table {@code db.t} is compared with {@code targetDatabase(db).t} on
         * the target. The identity by default.
         */
        public Builder targetDatabase(UnaryOperator<String> targetDatabase) {
            this.targetDatabase = Objects.requireNonNull(targetDatabase, "targetDatabase");
            return this;
        }

        /** Rows per chunk, at least 1 (1000 by default). */
        public Builder chunkRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("chunk rows must be at least 1, not " + rows);
            }
            this.chunkRows = rows;
            return this;
        }

        /** How long a chunk waits for the target to apply the source's transactions before it is not verified. */
        public Builder maxWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("the maximum wait cannot be negative: " + wait);
            }
            this.maxWait = wait;
            return this;
        }

        /** The verifier. */
        public Verifier build() {
            return new Verifier(this);
        }
    }
}
