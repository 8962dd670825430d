package dev.binrelay.engine.pipeline;

/** Thrown to the reader when it hands over a transaction after the apply pipeline began to stop. */
public final class PipelineClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PipelineClosedException() {
        super("the apply pipeline is stopping", null, false, false);
    }
}
