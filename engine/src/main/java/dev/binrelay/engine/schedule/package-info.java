/**
 * Stage 4, scheduling: {@link dev.binrelay.engine.schedule.Scheduling} places each
 * transaction in the ring (its worker and the sequence it must wait for) by a
 * {@link dev.binrelay.engine.schedule.Scheduler} policy: serial, per database, the source's logical clock (corrected on
 * prefix keys by {@code PrefixKeyClock}) or binrelay's own writesets. A policy may see conflicts that are not there,
 * never miss one that is. Runs on the reader thread only.
 */
package dev.binrelay.engine.schedule;
