package dev.binrelay.cli.config;

import dev.binrelay.engine.ApplierSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The known keys of one config file with typed, validated access. Each read that finds a problem records a message
 * naming the key and returns a stand-in, so that one pass over the file reports every problem at once.
 */
final class ConfigValues {
    private final Map<ConfigKey, JsonNode> nodes;
    private final EnvironmentInterpolation interpolation;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param nodes         the value of each key present in the file (null YAML values count as absent)
     * @param interpolation expands {@code ${VAR}} in string values
     */
    ConfigValues(Map<ConfigKey, JsonNode> nodes, EnvironmentInterpolation interpolation) {
        this.nodes = nodes;
        this.interpolation = interpolation;
    }

    /** The problems found so far, each naming its key. */
    List<String> problems() {
        return problems;
    }

    /** Records a problem found by the caller's own validation. */
    void problem(String message) {
        problems.add(message);
    }

    /** A string that must be present and not blank. */
    String requiredString(ConfigKey key) {
        String value = text(key);
        if (value == null) {
            problems.add("missing required key '" + key + "'");
            return "";
        }
        if (value.isBlank()) {
            problems.add("key '" + key + "' must not be empty");
        }
        return value;
    }

    /** A string, or {@code fallback} when the key is absent. */
    String string(ConfigKey key, String fallback) {
        String value = text(key);
        return value == null ? fallback : value;
    }

    /** A whole number that must be present and within {@code min..max}. */
    long requiredNumber(ConfigKey key, long min, long max) {
        if (!present(key)) {
            problems.add("missing required key '" + key + "'");
            return min;
        }
        return number(key, min, min, max);
    }

    /** A whole number within {@code min..max}, or {@code fallback} when the key is absent. */
    /** {@link #number(ConfigKey, long, long, long)} with the default and range of an engine setting. */
    long number(ConfigKey key, ApplierSettings.Bound bound) {
        return number(key, bound.defaultValue(), bound.min(), bound.max());
    }

    long number(ConfigKey key, long fallback, long min, long max) {
        String value = text(key);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, not '" + value + "'");
            return fallback;
        }
        if (parsed < min || parsed > max) {
            problems.add(key + " must be " + range(min, max) + ", not " + parsed);
            return fallback;
        }
        return parsed;
    }

    /**
     * A YAML list of whole numbers, each within {@code min..max} (such as {@code [1062, 1032]}); empty when the key
     * is absent.
     */
    SortedSet<Integer> numberList(ConfigKey key, int min, int max) {
        SortedSet<Integer> numbers = new TreeSet<>();
        JsonNode node = nodes.get(key);
        if (node == null || node.isNull()) {
            return numbers;
        }
        if (!node.isArray()) {
            problems.add(key + " must be a list of whole numbers, such as [" + min + "], not '" + node.asText() + "'");
            return numbers;
        }
        for (JsonNode element : node) {
            if (!element.isIntegralNumber() || !element.canConvertToInt()) {
                problems.add(key + " must be a list of whole numbers, not one holding '" + element.asText() + "'");
            } else if (element.intValue() < min || element.intValue() > max) {
                problems.add(key + ": each number must be " + range(min, max) + ", not " + element.intValue());
            } else {
                numbers.add(element.intValue());
            }
        }
        return numbers;
    }

    /**
     * A YAML list of whole numbers, each within {@code min..max}, in the file's order without duplicates; null when
     * the key is absent, so that an empty list ({@code []}) can mean something of its own. A problem names the key and
     * the element's index.
     */
    List<Long> optionalNumberList(ConfigKey key, long min, long max) {
        JsonNode node = nodes.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            problems.add(key + " must be a list of whole numbers, such as [" + min + "], not '" + node.asText() + "'");
            return null;
        }
        Set<Long> numbers = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong()) {
                problems.add(key + "[" + i + "] must be a whole number, not '" + element.asText() + "'");
            } else if (element.longValue() < min || element.longValue() > max) {
                problems.add(key + "[" + i + "] must be " + range(min, max) + ", not " + element.longValue());
            } else {
                numbers.add(element.longValue());
            }
        }
        return List.copyOf(numbers);
    }

    /** A YAML list of non-empty strings (such as {@code [shop, crm]}); empty when the key is absent. */
    List<String> stringList(ConfigKey key) {
        List<String> strings = new ArrayList<>();
        JsonNode node = nodes.get(key);
        if (node == null || node.isNull()) {
            return strings;
        }
        if (!node.isArray()) {
            problems.add(key + " must be a list, such as [shop, crm], not '" + node.asText() + "'");
            return strings;
        }
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.asText().isBlank()) {
                problems.add(key + " must be a list of names, not one holding '" + element + "'");
            } else {
                try {
                    strings.add(interpolation.apply(key, element.asText()));
                } catch (ConfigException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        return strings;
    }

    /** {@code true} or {@code false}, or {@code fallback} when the key is absent. */
    boolean bool(ConfigKey key, boolean fallback) {
        String value = text(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(key + " must be true or false, not '" + value + "'");
                yield fallback;
            }
        };
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min
                : "between " + min + " and " + max;
    }

    private boolean present(ConfigKey key) {
        JsonNode node = nodes.get(key);
        return node != null && !node.isNull();
    }

    /** The value as text after interpolation; null when absent or when it is not a single value (a problem). */
    private String text(ConfigKey key) {
        JsonNode node = nodes.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            problems.add("key '" + key + "' must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
            return null;
        }
        if (!node.isTextual() && key.secret()) {
            // YAML turns unquoted 0123, 1e3 or yes into a number or boolean, which would silently change a password.
            problems.add("key '" + key + "' must be a quoted string");
            return null;
        }
        try {
            return interpolation.apply(key, node.asText());
        } catch (ConfigException e) {
            problems.add(e.getMessage());
            return null;
        }
    }
}
