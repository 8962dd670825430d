package dev.binrelay.cli;

/** A control request that the replica's current state does not allow; the message says why and what to do. */
final class ControlRefusedException extends RuntimeException {
    ControlRefusedException(String message) {
        super(message);
    }
}
