/**
 * The {@code binrelay} command: {@link dev.binrelay.cli.Main} (picocli) with its exit codes, version and the handler
 * that turns an unexpected exception into one readable line. The commands are in {@code command}, the YAML
 * configuration in {@code config}, the running daemon (controller, HTTP API, metrics) in {@code daemon}; the developer
 * tools (demo, bench, fuzz) live in the devtools module, so that this module's jar carries no embedded MySQL.
 */
package dev.binrelay.cli;
