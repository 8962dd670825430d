package dev.binrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The rule evaluation, case by case. Each expected outcome follows the MySQL 8.0 manual's order for row-based
 * replication: rewrite, then the database rules on the table's database (doDb, if any, decides alone; else ignoreDb),
 * then the table rules, first match wins (doTable, ignoreTable, wildDoTable, wildIgnoreTable), and when none matches
 * the table is ignored only if a do rule (doTable or wildDoTable) exists.
 */
class ReplicationFilterTest {

    private static Arguments keeps(String why, UnaryOperator<ReplicationFilter.Builder> rules, String db,
                                   String table, boolean kept) {
        return Arguments.of(why, rules, db, table, kept);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                keeps("no rules keep everything", b -> b, "any", "t", true),
                // Database rules alone.
                keeps("doDb keeps its database", b -> b.doDb("shop"), "shop", "t", true),
                keeps("doDb drops every other database", b -> b.doDb("shop"), "crm", "t", false),
                keeps("ignoreDb drops its database", b -> b.ignoreDb("crm"), "crm", "t", false),
                keeps("ignoreDb keeps the others", b -> b.ignoreDb("crm"), "shop", "t", true),
                // With a doDb, ignoreDb is not consulted at all: doDb decides alone.
                keeps("doDb shop + ignoreDb shop: doDb wins", b -> b.doDb("shop").ignoreDb("shop"), "shop", "t",
                        true),
                keeps("names are case-sensitive (doDb)", b -> b.doDb("shop"), "Shop", "t", false),
                // Table rules alone.
                keeps("doTable keeps its table", b -> b.doTable("shop.orders"), "shop", "orders", true),
                keeps("doTable drops other tables (a do rule exists)", b -> b.doTable("shop.orders"), "shop",
                        "items", false),
                keeps("ignoreTable drops its table", b -> b.ignoreTable("shop.audit"), "shop", "audit", false),
                keeps("ignoreTable keeps the others (no do rule)", b -> b.ignoreTable("shop.audit"), "shop",
                        "orders", true),
                keeps("table names are case-sensitive", b -> b.doTable("shop.orders"), "shop", "Orders", false),
                keeps("wildDoTable with %", b -> b.wildDoTable("shop%.ord%"), "shop_eu", "orders", true),
                keeps("wildDoTable % may be empty", b -> b.wildDoTable("shop%.ord%"), "shop", "ord", true),
                keeps("wildDoTable drops non-matching", b -> b.wildDoTable("shop%.ord%"), "crm", "orders", false),
                keeps("_ matches exactly one character", b -> b.wildDoTable("shop.t_"), "shop", "t1", true),
                keeps("_ does not match two", b -> b.wildDoTable("shop.t_"), "shop", "t12", false),
                keeps("_ does not match none", b -> b.wildDoTable("shop.t_"), "shop", "t", false),
                keeps("escaped \\_ is a literal underscore", b -> b.wildDoTable("shop.t\\_x"), "shop", "t_x",
                        true),
                keeps("escaped \\_ does not match another character", b -> b.wildDoTable("shop.t\\_x"), "shop",
                        "t1x", false),
                keeps("escaped \\% is a literal percent", b -> b.wildDoTable("shop.100\\%"), "shop", "100%", true),
                keeps("escaped \\% matches nothing more", b -> b.wildDoTable("shop.100\\%"), "shop", "1000", false),
                keeps("wildcards are case-sensitive", b -> b.wildDoTable("shop.ord%"), "shop", "Orders", false),
                keeps("wildIgnoreTable drops matching", b -> b.wildIgnoreTable("%.tmp\\_%"), "shop", "tmp_1",
                        false),
                keeps("wildIgnoreTable keeps the others", b -> b.wildIgnoreTable("%.tmp\\_%"), "shop", "tmpx1",
                        true),
                // Combinations.
                // doDb passes shop; then the table rules: doTable matches -> kept.
                keeps("doDb + doTable, both match", b -> b.doDb("shop").doTable("shop.orders"), "shop", "orders",
                        true),
                // doDb passes shop; no table rule matches shop.items and a doTable exists -> ignored.
                keeps("doDb + doTable, other table of the do database",
                        b -> b.doDb("shop").doTable("shop.orders"), "shop", "items", false),
                // crm fails doDb before any table rule is read: a doTable naming it cannot rescue it.
                keeps("doTable cannot rescue a database doDb drops", b -> b.doDb("shop").doTable("crm.users"),
                        "crm", "users", false),
                // ignoreDb drops crm at the database stage: a wildDoTable matching it is never read.
                keeps("ignoreDb + wildDoTable: the database rule comes first",
                        b -> b.ignoreDb("crm").wildDoTable("%.users"), "crm", "users", false),
                keeps("ignoreDb + wildDoTable: other database, matching",
                        b -> b.ignoreDb("crm").wildDoTable("%.users"), "shop", "users", true),
                // Passes ignoreDb, matches no wild do rule: a do rule exists -> ignored.
                keeps("ignoreDb + wildDoTable: other database, not matching",
                        b -> b.ignoreDb("crm").wildDoTable("%.users"), "shop", "orders", false),
                // doTable is tested before wildIgnoreTable: an exact do match wins.
                keeps("doTable + wildIgnoreTable: doTable is read first",
                        b -> b.doTable("shop.tmp_keep").wildIgnoreTable("shop.tmp%"), "shop", "tmp_keep", true),
                keeps("doTable + wildIgnoreTable: wild ignore matches",
                        b -> b.doTable("shop.tmp_keep").wildIgnoreTable("shop.tmp%"), "shop", "tmp_x", false),
                // Matches neither; doTable exists -> ignored even though wildIgnoreTable did not match.
                keeps("doTable + wildIgnoreTable: no match, a do rule exists",
                        b -> b.doTable("shop.tmp_keep").wildIgnoreTable("shop.tmp%"), "shop", "orders", false),
                // ignoreTable is read before wildDoTable.
                keeps("ignoreTable beats a matching wildDoTable",
                        b -> b.ignoreTable("shop.audit").wildDoTable("shop.%"), "shop", "audit", false),
                // wildDoTable is read before wildIgnoreTable.
                keeps("wildDoTable beats a matching wildIgnoreTable",
                        b -> b.wildDoTable("shop.a%").wildIgnoreTable("shop.%"), "shop", "abc", true),
                // Rewrite comes first: the rules name the target database.
                keeps("rules see the rewritten name (doDb names the target)",
                        b -> b.rewriteDb("prod", "staging").doDb("staging"), "prod", "t", true),
                keeps("rules see the rewritten name (doDb naming the source no longer matches)",
                        b -> b.rewriteDb("prod", "staging").doDb("prod"), "prod", "t", false),
                keeps("table rules see the rewritten name",
                        b -> b.rewriteDb("prod", "staging").ignoreTable("staging.audit"), "prod", "audit", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesEachTableAsTheManualsOrderSays(String why, UnaryOperator<ReplicationFilter.Builder> rules,
                                               String db, String table, boolean kept) {
        ReplicationFilter filter = rules.apply(ReplicationFilter.builder()).build();
        assertThat(filter.keepsTable(db, table)).as(why + ": " + db + "." + table).isEqualTo(kept);
    }

    @Test
    void statementsWithoutTablesAreJudgedByTheDatabaseRulesOnly() {
        ReplicationFilter doDb = ReplicationFilter.builder().doDb("shop").doTable("shop.orders").build();
        assertThat(doDb.keepsDatabase("shop")).isTrue(); // the doTable is not consulted
        assertThat(doDb.keepsDatabase("crm")).isFalse();
        assertThat(doDb.keepsDatabase("")).as("no default database, a database rule set").isFalse();
        ReplicationFilter tablesOnly = ReplicationFilter.builder().doTable("shop.orders").build();
        assertThat(tablesOnly.keepsDatabase("")).as("no database rule: kept").isTrue();
        assertThat(tablesOnly.keepsDatabase("crm")).isTrue();
    }

    @Test
    void rewriteIsOneStepAndLeavesOtherNames() {
        ReplicationFilter filter = ReplicationFilter.builder().rewriteDb("a", "b").rewriteDb("b", "c").build();
        assertThat(filter.targetDatabase("a")).isEqualTo("b");
        assertThat(filter.targetDatabase("b")).isEqualTo("c");
        assertThat(filter.targetDatabase("x")).isEqualTo("x");
        assertThat(ReplicationFilter.NONE.isNone()).isTrue();
        assertThat(filter.isNone()).isFalse();
    }

    @Test
    void refusesTableRulesWithoutADotAndADatabaseRewrittenTwice() {
        assertThatThrownBy(() -> ReplicationFilter.builder().doTable("orders"))
                .hasMessageContaining("expected db.table");
        assertThatThrownBy(() -> ReplicationFilter.builder().wildIgnoreTable("tmp%"))
                .hasMessageContaining("expected db.table");
        assertThatThrownBy(() -> ReplicationFilter.builder().rewriteDb("a", "b").rewriteDb("a", "c"))
                .hasMessageContaining("rewritten twice");
    }
}
