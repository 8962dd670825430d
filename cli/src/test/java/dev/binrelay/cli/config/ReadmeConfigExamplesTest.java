package dev.binrelay.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML example in the README loads without a problem, so that a reader who copies one gets a working config; and
 * the options of topologies and filters each have an example. A fragment (only {@code filters:}, say) is laid over
 * the smallest complete config; file paths in the examples point at files made here.
 */
class ReadmeConfigExamplesTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern EXAMPLE_FILE = Pattern.compile("(/etc/binrelay/|/run/secrets/)[A-Za-z0-9_.-]+");
    private static final String SMALLEST = """
            source: {host: db.internal, user: binrelay, serverId: 4242}
            target: {url: "jdbc:mysql://replica.internal:3306/", user: binrelay}
            """;
    private static final List<String> ISSUE_8_KEYS = List.of("doDb", "ignoreDb", "doTable", "ignoreTable",
            "wildDoTable", "wildIgnoreTable", "rewriteDb", "ignoreServerIds", "mode: position", "startFile",
            "startPosition", "channels:", "0-1-1500");

    private final YAMLMapper yaml = new YAMLMapper();

    @TempDir
    Path files;

    @Test
    void everyYamlExampleInTheReadmeLoads() throws IOException {
        List<String> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
        ConfigLoader loader = new ConfigLoader(name -> "secret-from-" + name);
        for (String example : examples) {
            String complete = overSmallest(withExampleFiles(example));
            assertThatCode(() -> loader.parse(complete, "README example"))
                    .as("README example:%n%s", example)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theOptionsOfFiltersPositionModeLoopsChannelsAndMariaDbEachHaveAnExample() throws IOException {
        String all = String.join("\n", examples());
        for (String key : ISSUE_8_KEYS) {
            assertThat(all).as("a README example showing %s", key).contains(key);
        }
    }

    private static List<String> examples() throws IOException {
        Matcher matcher = YAML_BLOCK.matcher(Files.readString(README));
        List<String> examples = new ArrayList<>();
        while (matcher.find()) {
            examples.add(matcher.group(1));
        }
        return examples;
    }

    /** The example with each file it names (a password file, a certificate) replaced by one that exists. */
    private String withExampleFiles(String example) throws IOException {
        Matcher matcher = EXAMPLE_FILE.matcher(example);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            Path file = files.resolve(Path.of(matcher.group()).getFileName());
            if (!Files.exists(file)) {
                Files.writeString(file, "example\n");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(file.toString()));
        }
        return matcher.appendTail(result).toString();
    }

    /** The example laid over {@link #SMALLEST}, key by key, so a fragment becomes a complete config. */
    private String overSmallest(String example) throws IOException {
        ObjectNode base = (ObjectNode) yaml.readTree(SMALLEST);
        JsonNode fragment = yaml.readTree(example);
        merge(base, (ObjectNode) fragment);
        return yaml.writeValueAsString(base);
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = from.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode value) {
                merge(existingObject, value);
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }
}
