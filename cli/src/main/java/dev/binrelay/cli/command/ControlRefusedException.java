package dev.binrelay.cli.command;

/** A control request that the replica's current state does not allow; the message says why and what to do. */
public final class ControlRefusedException extends RuntimeException {
    public ControlRefusedException(String message) {
        super(message);
    }
}
