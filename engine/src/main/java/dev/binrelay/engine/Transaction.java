package dev.binrelay.engine;

import dev.binrelay.checkpoint.Gtid;
import java.util.List;

/**
 * One source transaction, complete: its GTID, its dependency clock and its changes in source order.
 *
 * @param gtid                  the source GTID
 * @param lastCommitted         the source's logical clock: the newest transaction this one may depend on
 * @param sequenceNumber        the source's logical clock: this transaction's number in the binary log file
 * @param originalCommitMicros  when it committed on the original source (epoch microseconds, 0 if unknown)
 * @param immediateCommitMicros when it committed on the server binrelay reads from (epoch microseconds, 0 if
 *                              unknown)
 * @param changes               row changes and statements, in source order
 * @param rowCount              how many row changes it holds
 */
public record Transaction(Gtid gtid, long lastCommitted, long sequenceNumber, long originalCommitMicros,
                          long immediateCommitMicros, List<Change> changes, int rowCount) {

    /** Whether this transaction holds a statement (DDL) rather than only row changes. */
    public boolean hasStatement() {
        for (Change change : changes) {
            if (change instanceof StatementChange) {
                return true;
            }
        }
        return false;
    }
}
