package dev.binrelay.engine;

import dev.binrelay.engine.event.Transaction;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's listeners as one: calls each in turn; one that throws is logged once per kind of call (so that a
 * broken listener does not flood the log at every transaction) and otherwise ignored, since a listener must never stop
 * replication.
 */
final class ReplicaListeners implements ReplicaListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaListeners.class);

    private final List<ReplicaListener> listeners;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    ReplicaListeners(List<ReplicaListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void applied(Transaction transaction) {
        for (ReplicaListener listener : listeners) {
            try {
                listener.applied(transaction);
            } catch (RuntimeException e) {
                report("applied", e);
            }
        }
    }

    @Override
    public void failed(Throwable error) {
        for (ReplicaListener listener : listeners) {
            try {
                listener.failed(error);
            } catch (RuntimeException e) {
                report("failed", e);
            }
        }
    }

    @Override
    public void stateChanged(ReplicaState state) {
        for (ReplicaListener listener : listeners) {
            try {
                listener.stateChanged(state);
            } catch (RuntimeException e) {
                report("stateChanged", e);
            }
        }
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    private void report(String call, RuntimeException e) {
        if (reported.add(call)) {
            LOG.warn("a replica listener threw from {}(), ignored (further failures of {}() are not logged)", call,
                    call, e);
        }
    }
}
