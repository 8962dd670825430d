package dev.binrelay.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.SourceTable;

/**
 * The writeset scheduler's table keys read from any server holding the tables, as the applier reads them
 * ({@link JdbcApplier#keyCatalog}): the benchmarks' decode-only runs have no target, so they read the keys from the
 * source, whose schema is the one the target would have.
 */
final class SchemaKeyCatalog implements KeyCatalog, AutoCloseable {
    private final HikariDataSource pool;
    private final KeyCatalog keys;

    private SchemaKeyCatalog(HikariDataSource pool) {
        this.pool = pool;
        this.keys = JdbcApplier.keyCatalog(pool);
    }

    /** Reads keys from the server at {@code jdbcUrl}; close it to release its connection. */
    static SchemaKeyCatalog reading(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("binrelay-bench-keys");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(1);
        config.setAutoCommit(false);
        return new SchemaKeyCatalog(new HikariDataSource(config));
    }

    @Override
    public TableKeys keysOf(SourceTable table) {
        return keys.keysOf(table);
    }

    @Override
    public void close() {
        pool.close();
    }
}
