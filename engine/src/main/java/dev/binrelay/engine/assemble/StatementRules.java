package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.decode.ClientCharsets;
import dev.binrelay.engine.decode.SourceQuery;
import dev.binrelay.engine.sql.CredentialRedaction;
import com.github.shyiko.mysql.binlog.event.EventType;
import dev.binrelay.checkpoint.Gtid;

/**
 * What binrelay accepts in a QUERY event, and the errors that say why it refuses the rest. Each error names the GTID,
 * the statement and the setting to change; it stops the replica before anything of the transaction is applied.
 */
final class StatementRules {

    private StatementRules() {
    }

    /** The statement text, decoded from the session's character_set_client. */
    static String text(Gtid gtid, SourceQuery query) {
        try {
            return ClientCharsets.decode(query.sql(), query.sessionSettings().clientCollation());
        } catch (IllegalArgumentException e) {
            throw new ReplicaException("GTID " + gtid + ": cannot read the statement the source logged: "
                    + e.getMessage(), e);
        }
    }

    /** Refuses a statement logged in statement format or one that failed on the source. */
    static void check(Gtid gtid, SourceQuery query, String sql, EventType statementFormatEvidence) {
        if (statementFormatEvidence != null) {
            throw statementFormat(gtid, sql, statementFormatEvidence);
        }
        if (query.errorCode() != 0) {
            // MySQL logs a statement with its error only when it failed part-way on a non-transactional table; what
            // it left behind cannot be reproduced by running it again.
            throw new ReplicaException("GTID " + gtid + ": the source logged `" + abbreviate(sql) + "` with error "
                    + query.errorCode() + " (it failed part-way on the source); binrelay cannot reproduce a partial "
                    + "statement: repair the target by hand and skip this GTID");
        }
    }

    static ReplicaException statementFormat(Gtid gtid, String sql, EventType evidence) {
        return new ReplicaException("GTID " + gtid + ": the source logged `" + abbreviate(sql) + "` as a statement"
                + (evidence == null ? "" : " (with a " + evidence + " event)") + ", not as row changes: its session "
                + "ran with binlog_format=STATEMENT or MIXED. binrelay replicates row changes only and applied nothing "
                + "of this transaction; set binlog_format=ROW in that source session (SET SESSION binlog_format = "
                + "ROW) for every session that writes");
    }

    static ReplicaException rollbackToSavepoint(Gtid gtid, String sql) {
        return new ReplicaException("GTID " + gtid + ": the source logged `" + abbreviate(sql) + "`, which MySQL "
                + "writes only for non-transactional changes made inside a transaction; binrelay cannot undo them "
                + "(the source must run with enforce_gtid_consistency=ON, which forbids such transactions)");
    }

    /** The statement for a message: without credentials, flattened and cut ({@link CredentialRedaction}). */
    static String abbreviate(String sql) {
        return CredentialRedaction.of(sql, 0).statement();
    }
}
