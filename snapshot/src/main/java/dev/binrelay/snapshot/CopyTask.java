package dev.binrelay.snapshot;

import java.util.List;

/**
 * A table left to copy.
 *
 * @param table      the table
 * @param lastKey    the key of the last row an earlier run copied, or null to start at its first row
 * @param rowsCopied rows an earlier run copied
 * @param progress   where its progress is counted
 */
record CopyTask(TableDefinition table, List<byte[]> lastKey, long rowsCopied, ProgressBoard.Entry progress) {
}
