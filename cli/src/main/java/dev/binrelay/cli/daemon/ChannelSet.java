package dev.binrelay.cli.daemon;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's channels, each with its own {@link ReplicaController}, in config order. Each controller runs and fails
 * on its own: this class only finds the one a request names.
 */
public final class ChannelSet {
    private final Map<String, ReplicaController> controllers;

    /** @param controllers by channel name, in config order; at least one */
    public ChannelSet(Map<String, ReplicaController> controllers) {
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("a daemon runs at least one channel");
        }
        this.controllers = Collections.unmodifiableMap(new LinkedHashMap<>(controllers));
    }

    /** The daemon of a config without {@code channels:}: one controller. */
    static ChannelSet single(String name, ReplicaController controller) {
        return new ChannelSet(Map.of(name, controller));
    }

    /** Whether the config has several channels: requests must then name one. */
    public boolean multiple() {
        return controllers.size() > 1;
    }

    /** The channel names, in config order. */
    Set<String> names() {
        return controllers.keySet();
    }

    /** Every controller by channel name, in config order. */
    public Map<String, ReplicaController> all() {
        return controllers;
    }

    /**
     * The controller of channel {@code name}; with one channel, {@code name} may be null.
     *
     * @throws UnknownChannelException when {@code name} is null with several channels, or names none of them
     */
    ReplicaController select(String name) {
        if (name == null || name.isBlank()) {
            if (multiple()) {
                throw new UnknownChannelException("this daemon runs several channels: name one with channel=NAME, "
                        + "one of " + String.join(", ", names()));
            }
            return controllers.values().iterator().next();
        }
        ReplicaController controller = controllers.get(name.strip());
        if (controller == null) {
            throw new UnknownChannelException("no channel '" + name.strip() + "': the channels are "
                    + String.join(", ", names()));
        }
        return controller;
    }

    /** A request named no channel, or one that does not exist. */
    static final class UnknownChannelException extends RuntimeException {
        UnknownChannelException(String message) {
            super(message);
        }
    }
}
