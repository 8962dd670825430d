package dev.binrelay.applier;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.event.RowChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements of the open target transaction that have not been sent yet, in order (each source transaction's
 * checkpoint row, then its rows; several source transactions of one batch), sent together as one text of several
 * statements (one round trip, one packet: {@code allowMultiQueries}), the values written into it
 * ({@link SqlLiterals}); consecutive inserts of one statement shape become one multi-row INSERT in it. Each UPDATE and
 * DELETE must then have matched exactly one row, as when it runs alone: a failure names its own transaction.
 *
 * <p>The server runs the statements in order and stops at the first that fails; the driver reports that error
 * without saying which statement raised it, so the error names every table of the group (the server's message names
 * the key) and the transactions in it, and counts it under the first table and transaction (the engine then applies
 * the batch's transactions again one by one, so that a lasting error names its own transaction). A group's statements are
 * all in the open target transaction, which the worker rolls back on any failure.
 *
 * <p>Not thread-safe: the worker's thread uses it.
 */
final class StatementGroup {
    /**
     * Statements per text: a batch of 16 sysbench transactions (6 statements each with the checkpoint row) goes as one
     * text; a transaction of many rows as several, each far below a packet.
     */
    static final int MAX_STATEMENTS = 128;
    /** Rows per multi-row INSERT. */
    static final int MAX_INSERT_ROWS = 200;
    /** Characters of values per text: the text holds them until it is sent, and rows may be large. */
    static final long MAX_BYTES = 2L << 20;

    private final TargetStatement statement;
    private final List<Part> parts = new ArrayList<>();
    private long bytes;

    /** @param statement the worker's statement, on which the texts are sent */
    StatementGroup(TargetStatement statement) {
        this.statement = statement;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /**
     * Adds a row's statement; returns whether the group is now full and must be sent.
     *
     * @param gtid the row's transaction, for messages
     */
    boolean add(RowChange row, TablePlan.RowStatement statement, String gtid) {
        Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
        if (last instanceof RowPart run && row.kind() == RowChange.Kind.INSERT && run.statement == statement
                && run.gtid.equals(gtid) && run.rows.size() < MAX_INSERT_ROWS) {
            run.rows.add(row);
        } else {
            parts.add(new RowPart(statement, row, gtid));
        }
        bytes += statement.sql().length() + SqlLiterals.bytes(row, statement); // the SQL may hold a JSON value
        return parts.size() >= MAX_STATEMENTS || bytes >= MAX_BYTES;
    }

    /**
     * Adds the transaction's checkpoint row ({@link CheckpointStore#recordText}), to go before its rows.
     *
     * @param label the transaction, for messages
     */
    void addCheckpoint(CheckpointStore checkpoint, Gtid gtid, long originServerId, String label) {
        parts.add(new CheckpointPart(checkpoint, gtid, originServerId, label));
    }

    /**
     * Sends the group as one text and checks what each statement matched; the group is empty afterwards, whether or
     * not it succeeded.
     */
    void send(Connection target) {
        List<Part> sending = List.copyOf(parts);
        String text = text(sending, bytes);
        clear();
        try {
            Statement sent = statement.on(target);
            sent.execute(text);
            for (int i = 0; i < sending.size(); i++) {
                if (i > 0) {
                    sent.getMoreResults();
                }
                sending.get(i).check(sent.getUpdateCount());
            }
        } catch (SQLException e) {
            throw TargetErrors.apply(transactions(sending), firstTable(sending), describe(sending), e);
        }
    }

    /** Forgets the statements not sent (their connection was dropped, or they failed). */
    void clear() {
        parts.clear();
        bytes = 0;
    }

    /**
     * The statements with their values, separated by semicolons; an insert of several rows with one value list per
     * row.
     */
    private static String text(List<Part> parts, long valueBytes) {
        StringBuilder text = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, valueBytes + 256L * parts.size()));
        for (Part part : parts) {
            if (!text.isEmpty()) {
                text.append(";\n");
            }
            try {
                part.append(text);
            } catch (IllegalArgumentException e) {
                // A value with no literal (a damaged binary log): its own transaction and table are named.
                throw TargetErrors.apply(part.gtid(), part.table(), part.describe(), e.getMessage(), 0);
            }
        }
        return text.toString();
    }

    /**
     * The table an error is counted under (the message names them all): the group's first, so that per-table
     * counts stay one entry per table.
     */
    private static String firstTable(List<Part> parts) {
        for (Part part : parts) {
            if (!part.table().isEmpty()) {
                return part.table();
            }
        }
        return "";
    }

    /**
     * For the message of a failure whose statement the driver does not name: the transaction, or the first and last
     * of those sent together (the error counts under the first).
     */
    private static String transactions(List<Part> parts) {
        String first = parts.get(0).gtid();
        String last = parts.get(parts.size() - 1).gtid();
        if (first.equals(last)) {
            return first;
        }
        Set<String> all = new LinkedHashSet<>();
        for (Part part : parts) {
            all.add(part.gtid());
        }
        return first + " (one of " + all.size() + " transactions sent together, through " + last + ")";
    }

    /** For the message of a failure: the statement, or the kinds of statement sent together. */
    private static String describe(List<Part> parts) {
        Set<String> statements = new LinkedHashSet<>();
        for (Part part : parts) {
            statements.add(part.describe());
        }
        if (parts.size() == 1) {
            return statements.iterator().next();
        }
        return "one of " + parts.size() + " statements sent together (" + String.join(", ", statements) + ")";
    }

    /** One statement of the group. */
    private interface Part {
        /** Appends its text, values in it. */
        void append(StringBuilder text);

        /** Checks the row count the statement reported. */
        void check(int count);

        /** Its transaction, for messages. */
        String gtid();

        /** Its table ({@code db.t}), empty for binrelay's own. */
        String table();

        /** Its kind and table, for messages. */
        String describe();
    }

    /** A row's statement, or one multi-row INSERT. */
    private static final class RowPart implements Part {
        final TablePlan.RowStatement statement;
        final String gtid;
        final List<RowChange> rows = new ArrayList<>(1);

        RowPart(TablePlan.RowStatement statement, RowChange first, String gtid) {
            this.statement = statement;
            this.gtid = gtid;
            rows.add(first);
        }

        @Override
        public String gtid() {
            return gtid;
        }

        @Override
        public void append(StringBuilder text) {
            SqlLiterals.appendRow(text, statement.pieces(), rows.get(0), statement);
            for (int i = 1; i < rows.size(); i++) {
                text.append(", ");
                SqlLiterals.appendRow(text, statement.tuplePieces(), rows.get(i), statement);
            }
        }

        @Override
        public void check(int matched) {
            RowChange row = rows.get(0);
            if (row.kind() != RowChange.Kind.INSERT && matched != 1) {
                throw TargetErrors.rowNotFound(gtid, table(), describe(), matched);
            }
        }

        @Override
        public String table() {
            return rows.get(0).table().qualifiedName();
        }

        @Override
        public String describe() {
            return rows.get(0).kind() + " on " + rows.get(0).table();
        }
    }

    /** The transaction's checkpoint row. */
    private record CheckpointPart(CheckpointStore checkpoint, Gtid transaction, long originServerId, String gtid)
            implements Part {
        @Override
        public void append(StringBuilder text) {
            text.append(checkpoint.recordText(transaction, originServerId));
        }

        @Override
        public void check(int count) {
            // An INSERT: it fails or writes its row.
        }

        @Override
        public String table() {
            return "";
        }

        @Override
        public String describe() {
            return "recording the checkpoint";
        }
    }
}
