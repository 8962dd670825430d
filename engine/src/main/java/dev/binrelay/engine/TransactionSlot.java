package dev.binrelay.engine;

/** A preallocated ring slot: the transaction, the worker that applies it, and what it waits for. */
final class TransactionSlot {
    Transaction transaction;
    int worker;
    /** The ring sequence that must be committed, with everything before it, before this transaction may start. */
    long waitFor;
}
