package io.pgloom;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStateTest {

    /** Every constant of SqlState, by name. */
    private static Map<String, String> constants() throws IllegalAccessException {
        Map<String, String> all = new LinkedHashMap<>();
        for (Field field : SqlState.class.getDeclaredFields()) {
            int m = field.getModifiers();
            if (Modifier.isPublic(m)) {
                assertThat(Modifier.isStatic(m) && Modifier.isFinal(m) && field.getType() == String.class)
                        .as(field.getName() + " is a public static final String").isTrue();
                all.put(field.getName(), (String) field.get(null));
            }
        }
        return all;
    }

    @ParameterizedTest
    @CsvSource({
        "SUCCESSFUL_COMPLETION,     00000, successful_completion",
        "WARNING,                   01000, warning",
        "DEPRECATED_FEATURE,        01P01, deprecated_feature",
        "PROTOCOL_VIOLATION,        08P01, protocol_violation",
        "FEATURE_NOT_SUPPORTED,     0A000, feature_not_supported",
        "DIVISION_BY_ZERO,          22012, division_by_zero",
        "DATETIME_FIELD_OVERFLOW,   22008, datetime_field_overflow",
        "ARRAY_SUBSCRIPT_ERROR,     2202E, array_subscript_error",
        "INVALID_TEXT_REPRESENTATION, 22P02, invalid_text_representation",
        "NOT_NULL_VIOLATION,        23502, not_null_violation",
        "FOREIGN_KEY_VIOLATION,     23503, foreign_key_violation",
        "UNIQUE_VIOLATION,          23505, unique_violation",
        "CHECK_VIOLATION,           23514, check_violation",
        "EXCLUSION_VIOLATION,       23P01, exclusion_violation",
        "READ_ONLY_SQL_TRANSACTION, 25006, read_only_sql_transaction",
        "IN_FAILED_SQL_TRANSACTION, 25P02, in_failed_sql_transaction",
        "INVALID_PASSWORD,          28P01, invalid_password",
        "INVALID_AUTHORIZATION_SPECIFICATION, 28000, invalid_authorization_specification",
        "INVALID_CATALOG_NAME,      3D000, invalid_catalog_name",
        "SERIALIZATION_FAILURE,     40001, serialization_failure",
        "DEADLOCK_DETECTED,         40P01, deadlock_detected",
        "SYNTAX_ERROR,              42601, syntax_error",
        "INSUFFICIENT_PRIVILEGE,    42501, insufficient_privilege",
        "UNDEFINED_COLUMN,          42703, undefined_column",
        "UNDEFINED_TABLE,           42P01, undefined_table",
        "DUPLICATE_PREPARED_STATEMENT, 42P05, duplicate_prepared_statement",
        "TOO_MANY_CONNECTIONS,      53300, too_many_connections",
        "LOCK_NOT_AVAILABLE,        55P03, lock_not_available",
        "QUERY_CANCELED,            57014, query_canceled",
        "ADMIN_SHUTDOWN,            57P01, admin_shutdown",
        "CRASH_SHUTDOWN,            57P02, crash_shutdown",
        "CANNOT_CONNECT_NOW,        57P03, cannot_connect_now",
        "IDLE_SESSION_TIMEOUT,      57P05, idle_session_timeout",
        "RAISE_EXCEPTION,           P0001, raise_exception",
        "INTERNAL_ERROR,            XX000, internal_error",
        "INDEX_CORRUPTED,           XX002, index_corrupted",
    })
    void knownCodes(String constant, String code, String name) throws IllegalAccessException {
        assertThat(constants()).containsEntry(constant, code);
        assertThat(SqlState.name(code)).isEqualTo(name);
    }

    @Test
    void constantsUsedInSwitchesAreCompileTimeConstants() {
        String state = "40001";
        String kind = switch (state) {
            case SqlState.UNIQUE_VIOLATION -> "unique";
            case SqlState.SERIALIZATION_FAILURE -> "serialization";
            default -> "other";
        };
        assertThat(kind).isEqualTo("serialization");
    }

    @Test
    void conditionNamesSharedByTwoCodesTakeTheMacroName() throws IllegalAccessException {
        Map<String, String> all = constants();
        assertThat(all).containsEntry("WARNING_STRING_DATA_RIGHT_TRUNCATION", "01004")
                .containsEntry("STRING_DATA_RIGHT_TRUNCATION", "22001")
                .containsEntry("NULL_VALUE_NOT_ALLOWED", "22004")
                .containsEntry("E_R_I_E_NULL_VALUE_NOT_ALLOWED", "39004")
                .containsEntry("S_R_E_MODIFYING_SQL_DATA_NOT_PERMITTED", "2F002")
                .containsEntry("E_R_E_MODIFYING_SQL_DATA_NOT_PERMITTED", "38002");
        assertThat(SqlState.name("01004")).isEqualTo("string_data_right_truncation");
        assertThat(SqlState.name("22001")).isEqualTo("string_data_right_truncation");
    }

    @Test
    void aliasesWithoutAConditionNameGiveNoConstant() throws IllegalAccessException {
        // errcodes.txt's ERRCODE_DATETIME_VALUE_OUT_OF_RANGE is 22008, datetime_field_overflow.
        assertThat(constants()).doesNotContainKeys("DATETIME_VALUE_OUT_OF_RANGE", "ARRAY_ELEMENT_ERROR",
                "UNDEFINED_DATABASE", "UNDEFINED_SCHEMA", "UNDEFINED_CURSOR", "UNDEFINED_PSTATEMENT");
    }

    @Test
    void everyConstantIsADistinctWellFormedCodeWithItsName() throws IllegalAccessException {
        Map<String, String> all = constants();
        assertThat(all).hasSizeGreaterThan(250);

        Map<String, String> byCode = new HashMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String constant = e.getKey();
            String code = e.getValue();
            assertThat(code).as(constant).matches("[0-9A-Z]{5}");
            String previous = byCode.put(code, constant);
            assertThat(previous).as("%s and %s are both %s", previous, constant, code).isNull();

            String name = SqlState.name(code);
            assertThat(name).as(constant).isNotNull().matches("[a-z0-9_]+");
            // The constant is the condition name upper-cased, or (when two codes share the
            // condition name) the C macro's name, which ends with it.
            assertThat(constant).as(code).endsWith(name.toUpperCase());
            assertThat(SqlState.className(code)).as("class of " + code).isNotNull();
        }
    }

    @Test
    void classNames() {
        assertThat(SqlState.className("23505")).isEqualTo("integrity_constraint_violation");
        assertThat(SqlState.className("23000")).isEqualTo("integrity_constraint_violation");
        assertThat(SqlState.className("40P01")).isEqualTo("transaction_rollback");
        assertThat(SqlState.className("42P01")).isEqualTo("syntax_error_or_access_rule_violation");
        assertThat(SqlState.className("08P01")).isEqualTo("connection_exception");
        assertThat(SqlState.className("57P01")).isEqualTo("operator_intervention");
        assertThat(SqlState.className("HV00R")).isEqualTo("fdw_error");
        // A code from a newer server still gets its class.
        assertThat(SqlState.className("23Q99")).isEqualTo("integrity_constraint_violation");
    }

    @Test
    void unknownOrMalformedCodes() {
        assertThat(SqlState.name("99999")).isNull();
        assertThat(SqlState.name(null)).isNull();
        assertThat(SqlState.name("")).isNull();
        assertThat(SqlState.name("23505 ")).isNull();
        assertThat(SqlState.className("ZZ000")).isNull();
        assertThat(SqlState.className("235")).isNull();
        assertThat(SqlState.className("")).isNull();
        assertThat(SqlState.className(null)).isNull();
    }
}
