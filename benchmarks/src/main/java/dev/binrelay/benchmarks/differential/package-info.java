/**
 * The randomized differential tester ({@code binrelay fuzz}): for each round, a seeded {@link
 * dev.binrelay.benchmarks.differential.SchemaGenerator schema}, a seeded {@link
 * dev.binrelay.benchmarks.differential.Workload workload} of many clients on hot keys, a {@link
 * dev.binrelay.benchmarks.differential.ChaosSchedule chaos schedule} (SIGKILL of a forked binrelay, target restarts,
 * binary log rotations, DDL) under a {@link dev.binrelay.benchmarks.differential.RunConfiguration configuration}
 * picked from the seed; then binrelay catches up and the {@link dev.binrelay.benchmarks.differential.TableComparer
 * comparer} checks every row of every table and the checkpoint against the source, with MySQL's own replica as the
 * reference. {@link dev.binrelay.benchmarks.differential.DifferentialTester} runs the rounds.
 */
package dev.binrelay.benchmarks.differential;
