package dev.binrelay.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code filters} section: read into the engine's filter, one problem per bad entry naming key and index. */
class FiltersConfigTest {
    private static final String MINIMAL = """
            source:
              host: db1.example.com
              user: repl
              serverId: 1001
            target:
              url: jdbc:mysql://db2.example.com:3306/
              user: binrelay
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    @Test
    void everyKeyIsReadAndBuildsTheFilter() {
        BinrelayConfig config = loader.parse(MINIMAL + """
                filters:
                  doDb: [staging, crm]
                  ignoreDb: [secret]
                  doTable: [crm.users]
                  ignoreTable: [staging.audit]
                  wildDoTable: ["staging.%"]
                  wildIgnoreTable: ['staging.tmp\\_%']
                  rewriteDb: ["prod -> staging", "a->b"]
                """, "test.yaml");

        BinrelayConfig.Filters filters = config.filters();
        assertThat(filters.doDb()).containsExactly("staging", "crm");
        assertThat(filters.ignoreDb()).containsExactly("secret");
        assertThat(filters.doTable()).containsExactly("crm.users");
        assertThat(filters.ignoreTable()).containsExactly("staging.audit");
        assertThat(filters.wildDoTable()).containsExactly("staging.%");
        assertThat(filters.wildIgnoreTable()).containsExactly("staging.tmp\\_%");
        assertThat(filters.rewriteDb()).containsExactly(Map.entry("prod", "staging"), Map.entry("a", "b"));
        var filter = filters.toFilter();
        assertThat(filter.keepsTable("prod", "orders")).isTrue();
        assertThat(filter.keepsTable("prod", "audit")).isFalse();
        // wildDoTable is read before wildIgnoreTable: staging.% keeps staging.tmp_1 first.
        assertThat(filter.keepsTable("prod", "tmp_1")).isTrue();
        assertThat(filter.keepsTable("crm", "other")).isFalse();
        assertThat(filter.targetDatabase("prod")).isEqualTo("staging");
    }

    @Test
    void noSectionMeansNoRules() {
        assertThat(loader.parse(MINIMAL, "test.yaml").filters()).isEqualTo(BinrelayConfig.Filters.none());
        assertThat(BinrelayConfig.Filters.none().toFilter().isNone()).isTrue();
    }

    @Test
    void eachBadEntryIsOneProblemNamingTheKeyAndIndex() {
        assertThatThrownBy(() -> loader.parse(MINIMAL + """
                filters:
                  doTable: [shop.orders, orders]
                  ignoreTable: ["audit"]
                  wildDoTable: ["tmp%"]
                  rewriteDb: ["a -> b", "a-b", "a -> c"]
                  ignoreDb: secret
                  doDb: [[x]]
                """, "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("filters.doTable[1]: expected db.table, got \"orders\"")
                .hasMessageContaining("filters.ignoreTable[0]: expected db.table, got \"audit\"")
                .hasMessageContaining("filters.wildDoTable[0]: expected db.table")
                .hasMessageContaining("filters.rewriteDb[1]: expected \"from -> to\", got \"a-b\"")
                .hasMessageContaining("filters.rewriteDb[2]: database a is rewritten twice")
                .hasMessageContaining("filters.ignoreDb must be a list")
                .hasMessageContaining("filters.doDb[0]: expected a name")
                .satisfies(e -> assertThat(List.of(e.getMessage().split("filters\\.", -1))).hasSize(8));
    }

    @Test
    void anUnknownFiltersKeyIsSuggestedItsName() {
        assertThatThrownBy(() -> loader.parse(MINIMAL + "filters:\n  doTables: [a.b]\n", "test.yaml"))
                .hasMessageContaining("filters.doTable");
    }
}
