/**
 * One class per subcommand: {@code run} (the daemon, in the foreground), the daemon's clients {@code status},
 * {@code stop}, {@code start} and {@code wait} (over its HTTP API, {@code DaemonClient} with the control token),
 * {@code snapshot}, {@code skip} (a transaction recorded as applied in the checkpoint) and {@code verify} with its
 * report printer. Each reads its configuration through {@code config} and prints to picocli's streams.
 */
package dev.binrelay.cli.command;
