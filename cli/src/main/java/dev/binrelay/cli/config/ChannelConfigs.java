package dev.binrelay.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code channels:} list of a multi-source config. Each channel is a map of {@code name} and the sections
 * {@link #PER_CHANNEL}; the top-level sections of the same names are defaults every channel inherits key by key, and
 * the other sections ({@code target}, {@code checkpoint.schema}, {@code progress}, {@code http}) are shared. A
 * channel's tree (the defaults overlaid with its own sections) is parsed by the same {@link ConfigLoader#parseTree}
 * as a single-channel file; its problems then name the key by its path in the file, such as
 * {@code channels[1].source.host}, unless the value was inherited from the top level.
 */
public final class ChannelConfigs {
    /** The top-level key of the list. */
    static final String KEY = "channels";
    /** The sections a channel may set for itself. */
    static final List<String> PER_CHANNEL = List.of("source", "applier", "filters", "snapshot");
    /** A dotted key path of a per-channel section inside a message, not already prefixed. */
    private static final Pattern KEY_PATH = Pattern.compile(
            "(?<![\\w.\\]])(?:" + String.join("|", PER_CHANNEL) + ")(?:\\.[A-Za-z0-9_]+)+");

    private final ConfigLoader loader;

    ChannelConfigs(ConfigLoader loader) {
        this.loader = loader;
    }

    /** Parses {@code root}, which holds {@code channels:}; throws one {@link ConfigException} with every problem. */
    BinrelayConfig parse(ObjectNode root, String origin) {
        JsonNode list = root.remove(KEY);
        Set<String> problems = new LinkedHashSet<>(); // a shared key's problem shows once, not once per channel
        if (root.has("checkpoint") && root.get("checkpoint").has("channel")) {
            problems.add("checkpoint.channel and channels exclude each other: each channel's name is its checkpoint "
                    + "channel; remove checkpoint.channel");
        }
        List<BinrelayConfig.Channel> channels = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add("channels must be a list of at least one channel, each a mapping of name, "
                    + String.join(", ", PER_CHANNEL));
        } else {
            for (int i = 0; i < list.size(); i++) {
                BinrelayConfig.Channel channel = channel(root, list.get(i), "channels[" + i + "]", problems);
                if (channel != null) {
                    channels.add(channel);
                }
            }
            checkDistinct(channels, problems.isEmpty(), problems);
        }
        if (!problems.isEmpty()) {
            throw ConfigException.of(origin, List.copyOf(problems));
        }
        BinrelayConfig first = channels.get(0).config();
        return new BinrelayConfig(first.source(), first.target(), first.applier(), first.checkpoint(),
                first.progress(), first.snapshot(), first.http(), first.filters(), channels);
    }

    private BinrelayConfig.Channel channel(ObjectNode root, JsonNode item, String path, Set<String> problems) {
        if (!item.isObject()) {
            problems.add(path + " must be a mapping of name, " + String.join(", ", PER_CHANNEL));
            return null;
        }
        ObjectNode tree = root.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("name")) {
                continue;
            }
            if (!PER_CHANNEL.contains(name)) {
                problems.add("unknown key '" + path + "." + name + "' (a channel holds name, "
                        + String.join(", ", PER_CHANNEL) + (ConfigKey.isSection(name)
                        ? "; " + name + " is shared by every channel: set it at the top level)" : ")"));
                continue;
            }
            tree.set(name, overlay(tree.get(name), field.getValue()));
        }
        String name = item.path("name").isValueNode() ? item.path("name").asText() : "";
        if (!ConfigLoader.IDENTIFIER.matcher(name).matches()) {
            problems.add(item.has("name") ? path + ".name must be 1 to 64 letters, digits, '_' or '$', not '" + name
                    + "'" : "missing required key '" + path + ".name'");
        }
        ObjectNode checkpoint = tree.get("checkpoint") instanceof ObjectNode section ? section
                : tree.putObject("checkpoint");
        checkpoint.put("channel", name.isEmpty() ? "default" : name);
        List<String> own = new ArrayList<>();
        BinrelayConfig config = loader.parseTree(tree, own);
        if (config.snapshot().mode() == BinrelayConfig.SnapshotMode.INITIAL) {
            own.add("snapshot.mode: initial is not supported with channels: copy each shard with 'binrelay "
                    + "snapshot' first, then set source.startGtids of each channel");
        }
        for (String problem : own) {
            problems.add(locate(problem, root, item, path));
        }
        return new BinrelayConfig.Channel(name, config);
    }

    /** {@code defaults} with {@code own} laid over it, mapping by mapping; {@code own} wins. */
    private static JsonNode overlay(JsonNode defaults, JsonNode own) {
        if (defaults == null || !defaults.isObject() || !own.isObject()) {
            return own.deepCopy();
        }
        ObjectNode merged = ((ObjectNode) defaults).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = own.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            merged.set(field.getKey(), overlay(merged.get(field.getKey()), field.getValue()));
        }
        return merged;
    }

    /**
     * {@code problem} with each per-channel key it names written as its path in the file: {@code channels[1].}
     * before it, unless the channel inherits that key's value from the top level.
     */
    private static String locate(String problem, JsonNode root, JsonNode item, String path) {
        Matcher matcher = KEY_PATH.matcher(problem);
        StringBuilder located = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group();
            String pointer = "/" + key.replace('.', '/');
            boolean inherited = item.at(pointer).isMissingNode() && !root.at(pointer).isMissingNode();
            matcher.appendReplacement(located, Matcher.quoteReplacement(inherited ? key : path + "." + key));
        }
        matcher.appendTail(located);
        return located.toString();
    }

    /** Channel names must differ (they are checkpoint rows), and so must server ids (each is a replica to its source). */
    private static void checkDistinct(List<BinrelayConfig.Channel> channels, boolean checkServerIds,
                                      Set<String> problems) {
        Map<String, Integer> names = new HashMap<>();
        Map<Long, Integer> serverIds = new HashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            BinrelayConfig.Channel channel = channels.get(i);
            Integer before = names.putIfAbsent(channel.name(), i);
            if (before != null) {
                problems.add("channels[" + i + "].name: '" + channel.name() + "' is also the name of channels["
                        + before + "]: each channel needs its own name (it names its checkpoint row)");
            }
            long serverId = channel.config().source().serverId();
            Integer sameId = serverIds.putIfAbsent(serverId, i);
            if (sameId != null && checkServerIds) { // else a missing id's stand-in would look like a duplicate
                problems.add("channels[" + i + "].source.serverId: " + serverId + " is also the server id of channels["
                        + sameId + "]: each channel connects as a replica of its own and needs its own server id");
            }
        }
    }
}
