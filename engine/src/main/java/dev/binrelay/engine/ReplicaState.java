package dev.binrelay.engine;

/** Where a {@link Replica} is in its life. Moves forward only: NEW, STARTING, RUNNING, STOPPING, then STOPPED or FAILED. */
public enum ReplicaState {
    NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED;

    /** Whether the replica has ended (stopped or failed). */
    public boolean terminal() {
        return this == STOPPED || this == FAILED;
    }
}
