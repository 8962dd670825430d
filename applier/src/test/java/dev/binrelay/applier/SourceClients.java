package dev.binrelay.applier;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** Client threads writing transactions to a source at the same time, each with its own seeded random. */
final class SourceClients {

    /** One client transaction's statements; the caller commits, or rolls back on a deadlock between clients. */
    interface Work {
        void run(Statement statement, Random random, int client, int transaction) throws SQLException;
    }

    private SourceClients() {
    }

    /** Runs {@code clients} threads of up to {@code transactionsEach} transactions while {@code running} holds. */
    static void run(EmbeddedMySql source, int clients, int transactionsEach, long seed, BooleanSupplier running,
                    Work work) {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                Random random = new Random(seed * 31 + client);
                try (Connection connection = source.connect()) {
                    connection.setAutoCommit(false);
                    for (int i = 0; i < transactionsEach && running.getAsBoolean(); i++) {
                        try (Statement statement = connection.createStatement()) {
                            work.run(statement, random, client, i);
                            connection.commit();
                        } catch (SQLException e) {
                            connection.rollback(); // a deadlock between clients: the source rolled it back too
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "client-" + client);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
