package dev.binrelay.applier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.engine.KeyCatalog;
import dev.binrelay.engine.SourceTable;
import dev.binrelay.engine.TableKeys;

/**
 * The writeset scheduler's table keys read from any server holding the tables, with the applier's own
 * {@link TargetKeyCatalog}: the benchmarks' decode-only runs have no target, so they read the keys from the source,
 * whose schema is the one the target would have. Lives in the benchmarks module, in the applier's package, because
 * the catalog is package-private.
 */
public final class SchemaKeyCatalog implements KeyCatalog, AutoCloseable {
    private final HikariDataSource pool;
    private final TargetKeyCatalog keys;

    private SchemaKeyCatalog(HikariDataSource pool) {
        this.pool = pool;
        this.keys = new TargetKeyCatalog(pool, new TableCatalog());
    }

    /** Reads keys from the server at {@code jdbcUrl}; close it to release its connection. */
    public static SchemaKeyCatalog reading(String jdbcUrl, String user, String password) {
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
