package dev.binrelay.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the source's clients do: the tables they start from and one transaction at a time. Implementations are
 * stateless apart from their table layout, so that one instance serves every client thread.
 */
interface Workload {

    /** The name on the command line. */
    String name();

    /** The schemas holding its tables: what is compared between source and targets. */
    List<String> schemas();

    /** Creates the schemas and tables and fills them; the same rows on every server. */
    void create(Connection connection) throws SQLException;

    /**
     * Runs and commits one transaction on a connection with autocommit off.
     *
     * @return false when it was rolled back after losing a deadlock or a lock wait to another client (as sysbench,
     *         not counted)
     * @throws SQLException for any other error: the run stops
     */
    boolean transaction(Connection connection, ThreadLocalRandom random) throws SQLException;

    /** How many client threads run it when {@code asked} were asked for. */
    default int clientThreads(int asked) {
        return asked;
    }
}
