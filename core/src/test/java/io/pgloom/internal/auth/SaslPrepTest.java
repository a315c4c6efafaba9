package io.pgloom.internal.auth;

import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examples of RFC 4013 section 3, and a few more. */
class SaslPrepTest {

    @Test
    void softHyphenIsMappedToNothing() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
    }

    @Test
    void plainTextIsUnchanged() {
        assertThat(SaslPrep.prepare("user")).isEqualTo("user");
    }

    @Test
    void caseIsPreserved() {
        assertThat(SaslPrep.prepare("USER")).isEqualTo("USER");
    }

    @Test
    void nfkcMapsFeminineOrdinalToA() {
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");
    }

    @Test
    void nfkcMapsRomanNumeralNine() {
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
    }

    @Test
    void refusesControlCharacters() {
        assertThatThrownBy(() -> SaslPrep.prepare("\u0007")).isInstanceOf(PgException.class)
                .hasMessageContaining("U+0007");
    }

    @Test
    void refusesRightToLeftTextEndingInADigit() {
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627\u0031")).isInstanceOf(PgException.class)
                .hasMessageContaining("right-to-left");
    }

    @Test
    void acceptsRightToLeftTextThatStartsAndEndsRightToLeft() {
        assertThat(SaslPrep.prepare("\u0627\u0031\u0628")).isEqualTo("\u0627\u0031\u0628");
    }

    @Test
    void mapsNonAsciiSpacesToSpace() {
        assertThat(SaslPrep.prepare("a\u00A0b\u3000c")).isEqualTo("a b c");
    }

    @Test
    void refusesUnassignedCodePointsAndLoneSurrogates() {
        assertThatThrownBy(() -> SaslPrep.prepare("a\u0221")).isInstanceOf(PgException.class)
                .hasMessageContaining("unassigned");
        assertThatThrownBy(() -> SaslPrep.prepare("a\uD800b")).isInstanceOf(PgException.class);
    }

    @Test
    void refusesWhatIsEmptyAfterMapping() {
        assertThatThrownBy(() -> SaslPrep.prepare("\u00AD")).isInstanceOf(PgException.class).hasMessageContaining("empty");
    }

    @Test
    void passwordBytesFallBackToTheRawPassword() {
        assertThat(SaslPrep.passwordBytes("I\u00ADX")).isEqualTo("IX".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslPrep.passwordBytes("bell\u0007")).isEqualTo("bell\u0007".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslPrep.passwordBytes("")).isEmpty();
    }
}
