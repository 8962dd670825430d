package dev.binrelay.engine.event;

/**
 * The source session's settings a rows event was written with: its flags and its statement's start time. One
 * instance is shared by every row of the event.
 *
 * @param foreignKeyChecks false when the source session ran with foreign_key_checks=0
 * @param uniqueChecks     false when the source session ran with unique_checks=0
 * @param timestampSeconds when the statement that changed the rows started on the source, epoch seconds (what a
 *                         {@code DEFAULT CURRENT_TIMESTAMP} filled on the target must use)
 */
public record RowContext(boolean foreignKeyChecks, boolean uniqueChecks, long timestampSeconds) {
}
