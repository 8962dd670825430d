/**
 * The embedding API: {@link dev.binrelay.engine.Replica} and its builder (one replica: a source, an applier, the
 * {@code applier.*} settings of {@link dev.binrelay.engine.ApplierSettings}), {@link dev.binrelay.engine.SourceSettings},
 * the replication filter, the listener, and the status records a running replica reports. Everything else in the
 * engine sits in the sub-packages, in the order a change flows: {@code source} reads the binlog, {@code decode} turns
 * events into values, {@code assemble} builds whole transactions, {@code schedule} decides what may run in parallel,
 * {@code pipeline} hands transactions to the workers that apply them through an {@code apply.Applier}.
 */
package dev.binrelay.engine;
