/**
 * The developer tools, in their own module so that the daemon's jar carries no MySQL: {@code DevMain} is the
 * {@code binrelay} command plus {@code demo} (an embedded source and target, a shop workload, then a table-by-table
 * verification), {@code bench} (the benchmark harness against MySQL's native replica) and {@code fuzz} (the
 * differential tester). {@code ./binrelay} runs this module's jar for those three commands.
 */
package dev.binrelay.devtools;
