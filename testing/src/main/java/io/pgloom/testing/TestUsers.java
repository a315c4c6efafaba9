package io.pgloom.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The roles every test server has, one per authentication method the client must speak, and the
 * pg_hba.conf that gives each its method.
 *
 * <pre>
 * user           password     method (TCP, 127.0.0.1 and ::1)       over the Unix socket
 * pgloom         pgloom       scram-sha-256 (SUPERUSER, owns db)    trust
 * trust_user     -            trust                                 trust
 * password_user  password_pw  password (cleartext)                  password
 * md5_user       md5_pw       md5 (stored as MD5)                   md5
 * scram_user     scram_pw     scram-sha-256                         scram-sha-256
 * ssl_user       ssl_pw       scram-sha-256 on TLS only; plain: reject   reject
 * cert_user      -            client certificate (CN=cert_user), TLS only   reject
 * anyone else    -            scram-sha-256                         trust
 * </pre>
 */
final class TestUsers {

    static final String SUPERUSER = "pgloom";
    static final String SUPERUSER_PASSWORD = "pgloom";
    static final String DATABASE = "pgloom";

    private TestUsers() {
    }

    /**
     * Statements, run as the superuser in database postgres, that set the superuser's password and
     * make the other roles. One statement per string: SET must not share a query with CREATE ROLE.
     */
    static List<String> rolesSql() {
        return List.of(
                "SET password_encryption = 'scram-sha-256'",
                "ALTER ROLE pgloom PASSWORD 'pgloom'",
                "CREATE ROLE trust_user LOGIN",
                "CREATE ROLE password_user LOGIN PASSWORD 'password_pw'",
                "CREATE ROLE scram_user LOGIN PASSWORD 'scram_pw'",
                "CREATE ROLE ssl_user LOGIN PASSWORD 'ssl_pw'",
                "CREATE ROLE cert_user LOGIN",
                // md5 needs the password stored as an MD5 hash, else the server quietly uses SCRAM
                "SET password_encryption = 'md5'",
                "CREATE ROLE md5_user LOGIN PASSWORD 'md5_pw'",
                "RESET password_encryption");
    }

    /** Statements, run as the superuser in database pgloom, that let every role use it. */
    static List<String> databaseSql() {
        return List.of(
                "GRANT CONNECT, CREATE, TEMPORARY ON DATABASE pgloom TO PUBLIC",
                // PostgreSQL 15 took CREATE on schema public away from PUBLIC; tests create tables
                "GRANT ALL ON SCHEMA public TO PUBLIC");
    }

    /** The extensions made in database pgloom when the binaries ship them. */
    static List<String> extensions() {
        return List.of("hstore", "citext");
    }

    /**
     * The pg_hba.conf of a test server. The first matching line wins, so the per-user lines come
     * before the catch-all ones; TLS-only users get a hostnossl reject so that a plain connection
     * fails clearly rather than falling through to a password line.
     *
     * @param unixSocket whether to add the {@code local} lines (not on Windows or in a container)
     * @param addresses  the client addresses of the per-user lines: loopback for a local server,
     *                   "all" for a container, whose clients come through Docker's network
     */
    static String hbaConf(boolean unixSocket, List<String> addresses) {
        List<String> lines = new ArrayList<>();
        lines.add("# pg_hba.conf of a pgloom throwaway test server: one role per authentication method.");
        lines.add("# TYPE     DATABASE  USER           ADDRESS        METHOD");
        if (unixSocket) {
            lines.add("local      all       trust_user                    trust");
            lines.add("local      all       password_user                 password");
            lines.add("local      all       md5_user                      md5");
            lines.add("local      all       scram_user                    scram-sha-256");
            lines.add("local      all       ssl_user                      reject");
            lines.add("local      all       cert_user                     reject");
            lines.add("local      all       all                           trust");
        }
        for (String address : addresses) {
            lines.add(line("hostssl", "cert_user", address, "cert"));
            lines.add(line("hostnossl", "cert_user", address, "reject"));
            lines.add(line("hostssl", "ssl_user", address, "scram-sha-256"));
            lines.add(line("hostnossl", "ssl_user", address, "reject"));
            lines.add(line("host", "trust_user", address, "trust"));
            lines.add(line("host", "password_user", address, "password"));
            lines.add(line("host", "md5_user", address, "md5"));
            lines.add(line("host", "scram_user", address, "scram-sha-256"));
        }
        // Everyone else, the superuser included, over TCP from anywhere the server listens.
        lines.add(line("host", "all", "all", "scram-sha-256"));
        return String.join("\n", lines) + "\n";
    }

    private static String line(String type, String user, String address, String method) {
        return String.format("%-10s %-9s %-14s %-14s %s", type, "all", user, address, method);
    }
}
