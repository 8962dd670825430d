package dev.binrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.event.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The listener fan-out, without a database. */
class ReplicaListenersTest {
    @Test
    void aThrowingListenerIsIgnoredAndTheOthersAreStillCalled() {
        List<String> calls = new ArrayList<>();
        ReplicaListener throwing = new ReplicaListener() {
            @Override
            public void applied(Transaction transaction) {
                throw new IllegalStateException("broken listener");
            }
        };
        ReplicaListener recording = new ReplicaListener() {
            @Override
            public void applied(Transaction transaction) {
                calls.add("applied " + transaction.gtid());
            }

            @Override
            public void stateChanged(ReplicaState state) {
                calls.add("state " + state);
            }
        };
        ReplicaListeners listeners = new ReplicaListeners(List.of(throwing, recording));
        listeners.applied(transaction(1, 1));
        listeners.applied(transaction(1, 1));
        listeners.stateChanged(ReplicaState.RUNNING);
        assertThat(calls).containsExactly("applied " + GTID, "applied " + GTID, "state RUNNING");
    }

    private static final Gtid GTID = new Gtid(UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562"), 7);

    private static Transaction transaction(long originalMicros, long immediateMicros) {
        return new Transaction(GTID, 0, 1, originalMicros, immediateMicros, List.of(), 0);
    }
}
