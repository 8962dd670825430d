package dev.binrelay.engine;

/** A preallocated ring slot: the transaction and the worker the scheduler gave it to. */
final class TransactionSlot {
    Transaction transaction;
    int worker;
}
