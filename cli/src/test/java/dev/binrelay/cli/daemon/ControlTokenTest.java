package dev.binrelay.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlTokenTest {
    private final ControlToken token = new ControlToken("s3cret-token");

    @Test
    void onlyTheExactBearerTokenIsAllowed() {
        assertThat(token.check("Bearer s3cret-token")).isEqualTo(ControlToken.Verdict.ALLOWED);
        assertThat(token.check("bearer s3cret-token")).isEqualTo(ControlToken.Verdict.ALLOWED);
        assertThat(token.check("Bearer s3cret-tokeN")).isEqualTo(ControlToken.Verdict.UNAUTHORIZED);
        assertThat(token.check("Bearer s3cret-token-and-more")).isEqualTo(ControlToken.Verdict.UNAUTHORIZED);
        assertThat(token.check("Bearer ")).isEqualTo(ControlToken.Verdict.UNAUTHORIZED);
        assertThat(token.check("s3cret-token")).isEqualTo(ControlToken.Verdict.UNAUTHORIZED);
        assertThat(token.check("Basic s3cret-token")).isEqualTo(ControlToken.Verdict.UNAUTHORIZED);
        assertThat(token.check(null)).isEqualTo(ControlToken.Verdict.UNAUTHORIZED);
    }

    @Test
    void withoutAConfiguredTokenEverythingIsRefusedAsNotConfigured() {
        ControlToken none = new ControlToken("");

        assertThat(none.check("Bearer ")).isEqualTo(ControlToken.Verdict.NOT_CONFIGURED);
        assertThat(none.check(null)).isEqualTo(ControlToken.Verdict.NOT_CONFIGURED);
    }
}
