/**
 * The event model an applier reads: a {@link dev.binrelay.engine.event.Transaction} of
 * {@link dev.binrelay.engine.event.Change}s (row changes with their before and after images, statements with the
 * source session's settings), the {@link dev.binrelay.engine.event.SourceTable} they belong to, and, for a
 * transaction too large to hold, the {@link dev.binrelay.engine.event.ChangeStream} its changes arrive through.
 * Immutable values, safe to share between threads.
 */
package dev.binrelay.engine.event;
