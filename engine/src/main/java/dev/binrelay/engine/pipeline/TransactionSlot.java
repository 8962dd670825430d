package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.event.Transaction;

/** A preallocated ring slot: the transaction, the worker that applies it, and what it waits for. */
public final class TransactionSlot {
    Transaction transaction;
    public int worker;
    /** The ring sequence that must be committed, with everything before it, before this transaction may start. */
    public long waitFor;
}
