/**
 * The applier's service interface: what a target implements
 * ({@link dev.binrelay.engine.apply.Applier}, one {@code Worker} per pipeline worker, each with its own connection),
 * the table keys it tells the writeset scheduler ({@link dev.binrelay.engine.apply.KeyCatalog},
 * {@link dev.binrelay.engine.apply.TableKeys}, with each text column's {@link dev.binrelay.engine.apply.KeyFold}), and
 * how it reports failures ({@link dev.binrelay.engine.apply.ApplyException}, classified by
 * {@link dev.binrelay.engine.apply.TransientErrors}).
 */
package dev.binrelay.engine.apply;
