package dev.binrelay.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialRedactionTest {
    @Test
    void mySqlCreateUserHidesTheHashAndKeepsTheAccount() {
        CredentialRedaction shown = CredentialRedaction.of("CREATE USER 'app'@'%' IDENTIFIED WITH "
                + "'caching_sha2_password' AS '$A$005$salt\\'y digest' REQUIRE NONE", 0);
        assertThat(shown.statement()).isEqualTo("CREATE USER 'app'@'%' IDENTIFIED WITH '<redacted>' AS "
                + "'<redacted>' REQUIRE NONE");
        assertThat(shown.scrub("near '$A$005$salt\\'y digest' REQUIRE")).doesNotContain("$A$005");
    }

    @Test
    void hexHashesAndMariaDbPasswordClausesAreHidden() {
        assertThat(CredentialRedaction.of("ALTER USER u IDENTIFIED WITH caching_sha2_password AS 0x2441303035", 0)
                .statement()).isEqualTo("ALTER USER u IDENTIFIED WITH caching_sha2_password AS '<redacted>'");
        assertThat(CredentialRedaction.of("GRANT ALL ON *.* TO 'm'@'h' IDENTIFIED BY PASSWORD '*ABCDEF'", 0)
                .statement()).isEqualTo("GRANT ALL ON *.* TO 'm'@'h' IDENTIFIED BY PASSWORD '<redacted>'");
        assertThat(CredentialRedaction.of("SET PASSWORD FOR 'm'@'h' = PASSWORD('s3cret')", 0).statement())
                .doesNotContain("s3cret");
        assertThat(CredentialRedaction.of("CHANGE REPLICATION SOURCE TO SOURCE_USER='r', SOURCE_PASSWORD='pw'", 0)
                .statement()).endsWith("SOURCE_PASSWORD='<redacted>'");
        assertThat(CredentialRedaction.of("CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'r', "
                + "PASSWORD 'pw')", 0).statement()).doesNotContain("'pw'");
    }

    @Test
    void statementsWithoutCredentialsAreShownAsWritten() {
        CredentialRedaction shown = CredentialRedaction.of("ALTER TABLE t\n  ADD COLUMN c VARCHAR(8) DEFAULT 'x'", 0);
        assertThat(shown.hasSecrets()).isFalse();
        assertThat(shown.statement()).isEqualTo("ALTER TABLE t ADD COLUMN c VARCHAR(8) DEFAULT 'x'");
        assertThat(shown.scrub("near 'x'")).isEqualTo("near 'x'");
    }

    @Test
    void longStatementsAreCutAfterTheirRedaction() {
        String sql = "CREATE USER u IDENTIFIED BY '" + "p".repeat(300) + "'";
        assertThat(CredentialRedaction.of(sql, 0).statement()).isEqualTo("CREATE USER u IDENTIFIED BY '<redacted>'");
    }

    @Test
    void aTriggerHiddenInALiteralByOtherQuotingRulesWithholdsTheRest() {
        // Under NO_BACKSLASH_ESCAPES 'u\' is a whole literal; read with backslash escapes, IDENTIFIED looks quoted.
        CredentialRedaction shown = CredentialRedaction.of("CREATE USER 'u\\'@'%' IDENTIFIED BY 'hunter2'", 0);
        assertThat(shown.statement()).doesNotContain("hunter2").contains("IDENTIFIED");
        assertThat(shown.scrub("error near the secret hunter2")).doesNotContain("hunter2");
    }

    @Test
    void aSecretQuotedBackUnescapedIsScrubbedToo() {
        CredentialRedaction shown = CredentialRedaction.of("CREATE USER u IDENTIFIED BY 'it''s-secret'", 0);
        assertThat(shown.scrub("server said: it's-secret")).doesNotContain("it's-secret");
    }
}
