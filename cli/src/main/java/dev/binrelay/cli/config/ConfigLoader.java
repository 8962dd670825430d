package dev.binrelay.cli.config;

import dev.binrelay.engine.ApplierSettings;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceMode;
import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.source.MariaDbGtids;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a binrelay YAML config file into a {@link BinrelayConfig}: rejects unknown keys (with a "did you mean"),
 * expands {@code ${ENV_VAR}} in string values, fills in defaults and validates every value. Each problem is reported
 * by the key it concerns; every problem of a file is reported at once, in one {@link ConfigException}.
 */
public final class ConfigLoader {
    /** The rule of the checkpoint store, checked here too so that the message names the key. */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final long MAX_SERVER_ID = 4_294_967_295L;
    /** MySQL's largest heartbeat period, in seconds. */
    private static final long MAX_HEARTBEAT_SECONDS = 4_294_967L;
    /** MySQL's error codes, for {@code applier.skipErrors}. */
    private static final int MIN_ERROR_CODE = 1000;
    private static final int MAX_ERROR_CODE = 65535;
    /** Loopback only: the status and control API is not exposed unless the operator says so. */
    static final String DEFAULT_HTTP_BIND = "127.0.0.1";
    /** {@code GET /health} fails beyond this lag. */
    static final int DEFAULT_MAX_LAG_SECONDS = 30;

    private final Function<String, String> environment;

    /** @param environment looks environment variables up; {@code System::getenv} outside tests */
    ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Loads {@code file} with the process environment. */
    public static BinrelayConfig load(Path file) {
        return new ConfigLoader(System::getenv).read(file);
    }

    /**
     * Loads {@code file} for a command that only talks to the daemon ({@code status}, {@code stop}, ...): an unset
     * {@code ${ENV_VAR}} reads as empty, since such a command needs the {@code http.*} keys, not the daemon's
     * passwords.
     */
    public static BinrelayConfig loadForClient(Path file) {
        return new ConfigLoader(name -> {
            String value = System.getenv(name);
            return value == null ? "" : value;
        }).read(file);
    }

    /** Loads {@code file}. */
    BinrelayConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (MalformedInputException e) {
            throw new ConfigException("config file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * Parses YAML text.
     *
     * @param origin where the text came from, to start messages with
     */
    BinrelayConfig parse(String yaml, String origin) {
        JsonNode root = readTree(yaml, origin);
        if (root != null && root.isObject() && root.has(ChannelConfigs.KEY)) {
            return new ChannelConfigs(this).parse((com.fasterxml.jackson.databind.node.ObjectNode) root, origin);
        }
        List<String> problems = new ArrayList<>();
        BinrelayConfig config = parseTree(root, problems);
        if (!problems.isEmpty()) {
            throw ConfigException.of(origin, problems);
        }
        return config;
    }

    /**
     * Parses one single-channel tree, adding every problem to {@code problems} instead of throwing; the result is
     * complete (stand-ins where a value had a problem). {@link ChannelConfigs} parses each channel through here.
     */
    BinrelayConfig parseTree(JsonNode root, List<String> problems) {
        Map<ConfigKey, JsonNode> nodes = new EnumMap<>(ConfigKey.class);
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add("the file is empty: it needs at least source.host, source.user, source.serverId, "
                    + "target.url and target.user");
        } else if (!root.isObject()) {
            problems.add("the top level must be a mapping of the sections source, target, applier, checkpoint, "
                    + "progress, snapshot, http and filters");
        } else {
            collect("", root, nodes, problems);
        }
        ConfigValues values = new ConfigValues(nodes, new EnvironmentInterpolation(environment));
        BinrelayConfig config = new BinrelayConfig(source(values), target(values), applier(values),
                checkpoint(values), progress(values), snapshot(values), http(values), filters(nodes, problems));
        if (config.snapshot().mode() == BinrelayConfig.SnapshotMode.INITIAL
                && !config.source().startGtids().isEmpty()) {
            values.problem("source.startGtids and snapshot.mode: initial exclude each other: the snapshot decides "
                    + "where streaming starts (the GTID set its copy reflects); remove source.startGtids");
        }
        if (config.snapshot().mode() == BinrelayConfig.SnapshotMode.INITIAL
                && (config.source().position().mode() == SourceMode.POSITION
                        || !config.source().position().startFile().isEmpty())) {
            values.problem("snapshot.mode: initial needs GTIDs (its copy is tied to the source's gtid_executed), so "
                    + "it cannot run in position mode: set snapshot.mode: never and copy the data yourself, then "
                    + "start with source.startFile and source.startPosition");
        }
        problems.addAll(values.problems());
        return config;
    }

    private static JsonNode readTree(String yaml, String origin) {
        YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try {
            return mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            // Only the first line and the location: the parser's later lines quote the file, which may hold a password.
            String message = e.getOriginalMessage();
            int newline = message.indexOf('\n');
            JsonLocation where = e.getLocation();
            throw new ConfigException(origin + ": not valid YAML" + (where == null ? "" : " at line "
                    + where.getLineNr() + ", column " + where.getColumnNr()) + ": "
                    + (newline < 0 ? message : message.substring(0, newline)).strip());
        }
    }

    /** Files the value of every known key under {@code nodes}; reports the structure's problems. */
    private static void collect(String path, JsonNode node, Map<ConfigKey, JsonNode> nodes, List<String> problems) {
        if (!path.isEmpty()) {
            var key = ConfigKey.byPath(path);
            if (key.isPresent()) {
                nodes.put(key.get(), node);
                return;
            }
        }
        boolean root = path.isEmpty();
        boolean section = ConfigKey.isSection(path);
        if (node.isObject() && (root || section || node.size() > 0)) {
            // Unknown mappings are walked too, so that 'sorce: {host: x}' suggests 'source.host'.
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(root ? field.getKey() : path + "." + field.getKey(), field.getValue(), nodes, problems);
            }
        } else if (section) {
            if (!node.isNull()) {
                problems.add("key '" + path + "' must be a mapping of " + String.join(", ",
                        ConfigKey.pathsIn(path)));
            }
        } else {
            problems.add(unknownKey(path));
        }
    }

    private static String unknownKey(String path) {
        String hint = ClosestName.to(path, ConfigKey.paths()).map(known -> " (did you mean '" + known + "'?)")
                .orElseGet(() -> {
                    int dot = path.indexOf('.');
                    String section = dot < 0 ? path : path.substring(0, dot);
                    return ConfigKey.isSection(section)
                            ? " (keys of " + section + ": " + String.join(", ", ConfigKey.pathsIn(section)) + ")"
                            : " (sections: source, target, applier, checkpoint, progress, snapshot, http, filters)";
                });
        return "unknown key '" + path + "'" + hint;
    }

    private static BinrelayConfig.Source source(ConfigValues values) {
        String host = values.requiredString(ConfigKey.SOURCE_HOST);
        int port = (int) values.number(ConfigKey.SOURCE_PORT, 3306, 1, 65535);
        String user = values.requiredString(ConfigKey.SOURCE_USER);
        String password = password(values, ConfigKey.SOURCE_PASSWORD, ConfigKey.SOURCE_PASSWORD_FILE);
        long serverId = values.requiredNumber(ConfigKey.SOURCE_SERVER_ID, 1, MAX_SERVER_ID);
        String startGtids = values.string(ConfigKey.SOURCE_START_GTIDS, "").strip();
        if (!startGtids.isEmpty() && !startGtids.toLowerCase(Locale.ROOT).equals("current")
                && !MariaDbGtids.isPosition(startGtids)) { // a MariaDB source's position: domain-server-seq
            try {
                GtidSet.parse(startGtids);
            } catch (IllegalArgumentException e) {
                values.problem("source.startGtids must be empty (everything the source has), 'current' or a GTID "
                        + "set (for a MariaDB source, a position such as 0-1-42): " + e.getMessage());
            }
        }
        int heartbeat = (int) values.number(ConfigKey.SOURCE_HEARTBEAT_SECONDS, 5, 1, MAX_HEARTBEAT_SECONDS);
        TlsSettings tls = tls(values, ConfigKey.SOURCE_SSL_MODE, ConfigKey.SOURCE_SSL_CA, ConfigKey.SOURCE_SSL_CERT,
                ConfigKey.SOURCE_SSL_KEY);
        List<Long> ignoreServerIds = values.optionalNumberList(ConfigKey.SOURCE_IGNORE_SERVER_IDS, 1, MAX_SERVER_ID);
        return new BinrelayConfig.Source(host, port, user, password, serverId, startGtids, heartbeat,
                tls == null ? TlsSettings.PREFERRED : tls, ignoreServerIds, position(values, startGtids));
    }

    /** {@code source.mode}, {@code source.startFile} and {@code source.startPosition}. */
    private static BinrelayConfig.Position position(ConfigValues values, String startGtids) {
        SourceMode mode = SourceMode.AUTO;
        String modeName = values.string(ConfigKey.SOURCE_MODE, "auto").strip();
        try {
            mode = SourceMode.valueOf(modeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            values.problem("source.mode must be auto, gtid or position, not '" + modeName + "'");
        }
        String startFile = values.string(ConfigKey.SOURCE_START_FILE, "").strip();
        long startPosition = values.number(ConfigKey.SOURCE_START_POSITION, 4, 4, Long.MAX_VALUE);
        if (startFile.isEmpty() && values.string(ConfigKey.SOURCE_START_POSITION, "").strip().length() > 0) {
            values.problem("source.startPosition needs source.startFile, the binary log file it is a position in");
        }
        if (!startFile.isEmpty() && mode == SourceMode.GTID) {
            values.problem("source.startFile is for position mode, but source.mode is gtid: use source.startGtids, "
                    + "or set source.mode: position");
        }
        if (!startFile.isEmpty() && !startGtids.isEmpty()) {
            values.problem("source.startFile and source.startGtids exclude each other: startFile is where position "
                    + "mode starts, startGtids where GTID mode starts; remove one");
        }
        return new BinrelayConfig.Position(mode, startFile, startPosition);
    }

    private static BinrelayConfig.Target target(ConfigValues values) {
        String url = values.requiredString(ConfigKey.TARGET_URL);
        if (!url.isBlank() && !url.startsWith("jdbc:mysql://")) {
            values.problem("target.url must be a MySQL JDBC URL starting with jdbc:mysql://");
        }
        String user = values.requiredString(ConfigKey.TARGET_USER);
        String password = password(values, ConfigKey.TARGET_PASSWORD, ConfigKey.TARGET_PASSWORD_FILE);
        TlsSettings tls = tls(values, ConfigKey.TARGET_SSL_MODE, ConfigKey.TARGET_SSL_CA, ConfigKey.TARGET_SSL_CERT,
                ConfigKey.TARGET_SSL_KEY);
        boolean requireReadOnly = values.bool(ConfigKey.TARGET_REQUIRE_READ_ONLY, false);
        return new BinrelayConfig.Target(url, user, password, tls, requireReadOnly);
    }

    /**
     * The password from {@code passwordKey} or from the file {@code fileKey} names (its content less one trailing
     * newline); empty when neither is set. No message quotes the file's content.
     */
    private static String password(ConfigValues values, ConfigKey passwordKey, ConfigKey fileKey) {
        String password = values.string(passwordKey, null);
        String file = values.string(fileKey, null);
        if (file == null) {
            return password == null ? "" : password;
        }
        if (password != null) {
            values.problem(passwordKey + " and " + fileKey + " are both set: use one of them");
            return "";
        }
        if (!readable(values, fileKey, file)) {
            return "";
        }
        String content;
        try {
            content = Files.readString(Path.of(file));
        } catch (MalformedInputException e) {
            values.problem(fileKey + ": " + file + " is not UTF-8 text");
            return "";
        } catch (IOException e) {
            // The exception's class only: its message is the path at most, but no chance is taken with a secret.
            values.problem(fileKey + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            return "";
        }
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }

    /** TLS from the four keys, or null when none of them is set. */
    private static TlsSettings tls(ConfigValues values, ConfigKey modeKey, ConfigKey caKey, ConfigKey certKey,
                                   ConfigKey keyKey) {
        String modeText = values.string(modeKey, null);
        SslMode mode = null;
        if (modeText != null) {
            try {
                mode = SslMode.parse(modeText);
            } catch (IllegalArgumentException e) {
                values.problem(modeKey + ": " + e.getMessage());
                return null;
            }
        }
        Path ca = file(values, caKey);
        Path cert = file(values, certKey);
        Path key = file(values, keyKey);
        if (modeText == null && ca == null && cert == null && key == null) {
            return null;
        }
        String prefix = modeKey.path().substring(0, modeKey.path().lastIndexOf('.'));
        List<String> problems = TlsSettings.problems(prefix, mode, ca, cert, key);
        if (!problems.isEmpty()) {
            problems.forEach(values::problem);
            return null;
        }
        return new TlsSettings(mode, ca, cert, key);
    }

    /** The path a key names, if it is set; a problem when no readable file is there. */
    private static Path file(ConfigValues values, ConfigKey key) {
        String name = values.string(key, null);
        if (name == null) {
            return null;
        }
        readable(values, key, name);
        return Path.of(name);
    }

    /** Whether {@code name} is a readable regular file; a problem naming the key otherwise. */
    private static boolean readable(ConfigValues values, ConfigKey key, String name) {
        Path path;
        try {
            path = Path.of(name);
        } catch (java.nio.file.InvalidPathException e) {
            values.problem(key + ": '" + name + "' is not a file path");
            return false;
        }
        if (!Files.exists(path)) {
            values.problem(key + ": file " + path + " does not exist");
            return false;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            values.problem(key + ": " + path + " is not a file this process can read");
            return false;
        }
        return true;
    }

    private static BinrelayConfig.Applier applier(ConfigValues values) {
        int workers = (int) values.number(ConfigKey.APPLIER_WORKERS, ApplierSettings.WORKERS);
        SchedulerKind scheduler = ApplierSettings.SCHEDULER;
        try {
            scheduler = SchedulerKind.parse(values.string(ConfigKey.APPLIER_SCHEDULER, scheduler.configName()));
        } catch (IllegalArgumentException e) {
            values.problem("applier.scheduler: " + e.getMessage());
        }
        int ringSize = (int) values.number(ConfigKey.APPLIER_RING_SIZE, ApplierSettings.RING_SIZE);
        if (Integer.bitCount(ringSize) != 1) {
            values.problem("applier.ringSize must be a power of two (such as 1024), not " + ringSize);
        }
        boolean preserveCommitOrder = values.bool(ConfigKey.APPLIER_PRESERVE_COMMIT_ORDER,
                ApplierSettings.PRESERVE_COMMIT_ORDER);
        int batchSize = (int) values.number(ConfigKey.APPLIER_BATCH_SIZE, ApplierSettings.BATCH_SIZE);
        int writesetHistory = (int) values.number(ConfigKey.APPLIER_WRITESET_HISTORY, ApplierSettings.WRITESET_HISTORY);
        long largeTransactionBytes = values.number(ConfigKey.APPLIER_LARGE_TRANSACTION_BYTES,
                ApplierSettings.LARGE_TRANSACTION_BYTES);
        long queueBytes = values.number(ConfigKey.APPLIER_QUEUE_BYTES, ApplierSettings.QUEUE_BYTES);
        int retries = (int) values.number(ConfigKey.APPLIER_RETRIES, ApplierSettings.RETRIES);
        int stopTimeoutSeconds = (int) values.number(ConfigKey.APPLIER_STOP_TIMEOUT_SECONDS,
                ApplierSettings.STOP_TIMEOUT_SECONDS);
        SortedSet<Integer> skipErrors = values.numberList(ConfigKey.APPLIER_SKIP_ERRORS, MIN_ERROR_CODE,
                MAX_ERROR_CODE);
        return new BinrelayConfig.Applier(workers, scheduler, ringSize, preserveCommitOrder, batchSize,
                writesetHistory, largeTransactionBytes, queueBytes, retries, stopTimeoutSeconds, skipErrors);
    }

    private static BinrelayConfig.Checkpoint checkpoint(ConfigValues values) {
        return new BinrelayConfig.Checkpoint(identifier(values, ConfigKey.CHECKPOINT_SCHEMA, "binrelay"),
                identifier(values, ConfigKey.CHECKPOINT_CHANNEL, "default"));
    }

    private static String identifier(ConfigValues values, ConfigKey key, String fallback) {
        String value = values.string(key, fallback);
        if (!IDENTIFIER.matcher(value).matches()) {
            values.problem(key + " must be 1 to 64 letters, digits, '_' or '$', not '" + value + "'");
        }
        return value;
    }

    private static BinrelayConfig.Snapshot snapshot(ConfigValues values) {
        String modeText = values.string(ConfigKey.SNAPSHOT_MODE, "never").strip();
        BinrelayConfig.SnapshotMode mode = BinrelayConfig.SnapshotMode.NEVER;
        try {
            mode = BinrelayConfig.SnapshotMode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            values.problem("snapshot.mode must be never or initial, not '" + modeText + "'");
        }
        List<String> schemas = values.stringList(ConfigKey.SNAPSHOT_SCHEMAS);
        for (String schema : schemas) {
            if (schema.length() > 64) {
                values.problem("snapshot.schemas: '" + schema + "' is longer than a MySQL schema name (64)");
            }
        }
        int threads = (int) values.number(ConfigKey.SNAPSHOT_THREADS, BinrelayConfig.Snapshot.DEFAULT_THREADS, 1, 64);
        int chunkRows = (int) values.number(ConfigKey.SNAPSHOT_CHUNK_ROWS, BinrelayConfig.Snapshot.DEFAULT_CHUNK_ROWS,
                1, 1_000_000);
        return new BinrelayConfig.Snapshot(mode, schemas, threads, chunkRows);
    }

    /** The top-level {@code filters} section, read by {@link FiltersSection} (which a channel's reuses). */
    private static BinrelayConfig.Filters filters(Map<ConfigKey, JsonNode> nodes, List<String> problems) {
        Map<String, JsonNode> section = new java.util.HashMap<>();
        nodes.forEach((key, node) -> {
            if (key.section().equals("filters")) {
                section.put(key.path().substring("filters.".length()), node);
            }
        });
        return FiltersSection.parse("filters", section, problems);
    }

    private static BinrelayConfig.Progress progress(ConfigValues values) {
        return new BinrelayConfig.Progress((int) values.number(ConfigKey.PROGRESS_INTERVAL_SECONDS, 5, 0, 86_400));
    }

    private static BinrelayConfig.Http http(ConfigValues values) {
        String bind = values.string(ConfigKey.HTTP_BIND, DEFAULT_HTTP_BIND).strip();
        if (bind.isEmpty()) {
            values.problem("key 'http.bind' must not be empty (127.0.0.1 listens on this host only, 0.0.0.0 on "
                    + "every interface)");
        }
        int port = (int) values.number(ConfigKey.HTTP_PORT, BinrelayConfig.Http.NO_PORT, 1, 65535);
        String token = values.string(ConfigKey.HTTP_TOKEN, "");
        int maxLagSeconds = (int) values.number(ConfigKey.HTTP_MAX_LAG_SECONDS, DEFAULT_MAX_LAG_SECONDS, 0, 86_400);
        return new BinrelayConfig.Http(bind, port, token, maxLagSeconds);
    }
}
