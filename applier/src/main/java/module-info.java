/**
 * The JDBC applier for MySQL-compatible targets: {@link dev.binrelay.applier.JdbcApplier} and the settings of the
 * target it writes to. Reads the engine's event model and service interface, and the table shapes of the schema
 * module.
 */
module dev.binrelay.applier {
    requires transitive dev.binrelay.engine;
    requires transitive com.zaxxer.hikari;
    requires dev.binrelay.schema;
    requires mysql.binlog.connector.java;
    requires org.slf4j;

    exports dev.binrelay.applier;
}
