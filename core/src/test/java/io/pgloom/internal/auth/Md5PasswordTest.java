package io.pgloom.internal.auth;

import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Md5PasswordTest {

    // Expected values computed with Python's hashlib, by the formula
    // "md5" + hex(md5(hex(md5(password + user)) + salt)).

    @Test
    void matchesAnIndependentComputation() {
        // md5("postgrespostgres") = 3175bce1d3201d16594cebf9d7eb3f9d, the well-known stored hash of postgres/postgres.
        assertThat(Md5Password.hash("postgres", "postgres", new byte[] {1, 2, 3, 4}))
                .isEqualTo("md568be9ed08db75f318087ab337aaea044");
    }

    @Test
    void encodesNonAsciiPasswordsAsUtf8() {
        assertThat(Md5Password.hash("app", "pässwörd", new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}))
                .isEqualTo("md5122d1426565b6bbefb43cdd685c2e29e");
    }

    @Test
    void refusesASaltOfTheWrongLength() {
        assertThatThrownBy(() -> Md5Password.hash("u", "p", new byte[3])).isInstanceOf(PgException.class);
    }
}
