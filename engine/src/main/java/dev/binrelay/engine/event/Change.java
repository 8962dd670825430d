package dev.binrelay.engine.event;

/** One step of a source transaction: a row change or a statement (DDL). */
public sealed interface Change permits RowChange, StatementChange {
}
