package io.pgloom;

/**
 * A kind of state that a connection's user may have left behind, as reported by
 * {@link PgConnection#sessionChanges()}. A pool resets a connection whose borrower changed any
 * of these before the next borrower runs anything ({@link PgConnection#resetSession()}).
 *
 * <p>The server-side kinds are read from what the client sees: the transaction status of every
 * ReadyForQuery, the command tag of every statement, ParameterStatus reports, and a scan of the
 * SQL text for what no tag shows. What happens out of sight (a function that calls
 * {@code set_config}, takes a session advisory lock or creates a temporary table when called
 * from a plain SELECT) is not seen: reset on every release when such functions run.
 */
public enum SessionChange {
    /** A transaction block is open or failed. */
    TRANSACTION,
    /** SET or RESET ran (a setting, the role, the session authorization, search_path), or the server reported a changed parameter. */
    SETTINGS,
    /** LISTEN ran. */
    LISTEN,
    /** SQL-level PREPARE ran. */
    PREPARED_STATEMENTS,
    /** A cursor was declared (one WITH HOLD outlives its transaction). */
    CURSORS,
    /** CREATE ran, or the SQL named temp/temporary/pg_temp: temporary tables, views, sequences, functions. */
    TEMPORARY_OBJECTS,
    /** The SQL named a session-level advisory lock function ({@code pg_advisory_lock} and kin). */
    ADVISORY_LOCKS,
    /** Something that may change anything ran (DO, CALL): counted as changed. */
    UNKNOWN,
    /** The command timeout differs from the clean state's. */
    COMMAND_TIMEOUT,
    /** The log listeners differ from the clean state's (one added and removed again is no change). */
    LOG_LISTENERS,
    /** LISTEN/NOTIFY callbacks were added or removed. */
    NOTIFICATION_LISTENERS,
    /** A type codec was set or reset, or the schema state reloaded. */
    TYPE_CODECS
}
