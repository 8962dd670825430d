package dev.binrelay.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.binrelay.engine.ReplicationFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one {@code filters} section (the top-level one, or a channel's) into {@link BinrelayConfig.Filters}; each bad
 * entry is one problem naming the key and the entry's index, such as
 * {@code filters.rewriteDb[1]: expected "from -> to", got "a-b"}.
 */
final class FiltersSection {
    static final String DO_DB = "doDb";
    static final String IGNORE_DB = "ignoreDb";
    static final String DO_TABLE = "doTable";
    static final String IGNORE_TABLE = "ignoreTable";
    static final String WILD_DO_TABLE = "wildDoTable";
    static final String WILD_IGNORE_TABLE = "wildIgnoreTable";
    static final String REWRITE_DB = "rewriteDb";
    private static final Pattern REWRITE = Pattern.compile("\\s*(\\S+)\\s*->\\s*(\\S+)\\s*");

    private FiltersSection() {
    }

    /**
     * @param prefix   the section's path, for messages ({@code filters})
     * @param section  the section's keys (without the prefix) and their YAML values; absent keys have no rules
     * @param problems where each problem goes
     */
    static BinrelayConfig.Filters parse(String prefix, Map<String, JsonNode> section, List<String> problems) {
        ReplicationFilter.Builder check = ReplicationFilter.builder();
        List<String> doDb = names(prefix, section, DO_DB, check::doDb, problems);
        List<String> ignoreDb = names(prefix, section, IGNORE_DB, check::ignoreDb, problems);
        List<String> doTable = names(prefix, section, DO_TABLE, check::doTable, problems);
        List<String> ignoreTable = names(prefix, section, IGNORE_TABLE, check::ignoreTable, problems);
        List<String> wildDoTable = names(prefix, section, WILD_DO_TABLE, check::wildDoTable, problems);
        List<String> wildIgnoreTable = names(prefix, section, WILD_IGNORE_TABLE, check::wildIgnoreTable, problems);
        Map<String, String> rewriteDb = new LinkedHashMap<>();
        List<String> entries = names(prefix, section, REWRITE_DB, entry -> { }, problems);
        for (int i = 0; i < entries.size(); i++) {
            String key = prefix + "." + REWRITE_DB + "[" + i + "]";
            Matcher matcher = REWRITE.matcher(entries.get(i));
            if (!matcher.matches()) {
                problems.add(key + ": expected \"from -> to\", got \"" + entries.get(i) + "\"");
                continue;
            }
            try {
                check.rewriteDb(matcher.group(1), matcher.group(2));
                rewriteDb.put(matcher.group(1), matcher.group(2));
            } catch (IllegalArgumentException e) {
                problems.add(key + ": " + e.getMessage());
            }
        }
        return new BinrelayConfig.Filters(doDb, ignoreDb, doTable, ignoreTable, wildDoTable, wildIgnoreTable,
                rewriteDb);
    }

    /** The list under {@code name}, each entry checked by {@code rule}; bad entries are reported and left out. */
    private static List<String> names(String prefix, Map<String, JsonNode> section, String name,
                                      Consumer<String> rule, List<String> problems) {
        List<String> entries = new ArrayList<>();
        JsonNode node = section.get(name);
        if (node == null || node.isNull()) {
            return entries;
        }
        String key = prefix + "." + name;
        if (!node.isArray()) {
            problems.add(key + " must be a list, such as [shop, crm], not '" + node.asText() + "'");
            return entries;
        }
        int index = 0;
        for (JsonNode element : node) {
            String at = key + "[" + index++ + "]";
            if (!element.isValueNode() || element.asText().isBlank()) {
                problems.add(at + ": expected a name, got '" + element + "'");
                continue;
            }
            try {
                rule.accept(element.asText());
                entries.add(element.asText());
            } catch (IllegalArgumentException e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
        return entries;
    }
}
