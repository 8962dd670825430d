/**
 * Stage 3, assembly: {@link dev.binrelay.engine.assemble.TransactionAssembler} takes
 * events from the source and hands complete transactions to a {@link dev.binrelay.engine.assemble.TransactionSink}
 * (the pipeline) once their XID or COMMIT arrived, streaming the rest of a large one
 * ({@code OpenTransaction} holds the one being received). On the way, the replication
 * filter ({@code ChangeFilter}), loop prevention ({@code LoopGuard}, {@code CheckpointSchemaStatements}) and the refusal
 * of what a row-based replica cannot apply ({@code StatementRules}).
 */
package dev.binrelay.engine.assemble;
