/**
 * Real servers for tests, the demo and the benchmarks: embedded MySQL 8.0.31 and MariaDB 11.4 from Maven Central, the
 * source-and-target JUnit extension, MySQL's own replica as the reference, a fault proxy and table checksums.
 */
module dev.binrelay.testkit {
    requires transitive java.sql;
    requires transitive org.junit.jupiter.api;
    requires dev.binrelay.schema;
    requires org.slf4j;

    exports dev.binrelay.testkit;
}
