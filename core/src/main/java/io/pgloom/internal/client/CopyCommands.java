package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.session.CopyIn;
import io.pgloom.internal.session.PreparedStatement;
import io.pgloom.internal.session.Session;
import io.pgloom.internal.types.TypeRegistry;
import io.pgloom.internal.wire.RowDescription;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;

/**
 * The COPY statements behind {@code copyToTable}, {@code copyFromTable}, {@code copyFromQuery}
 * and {@code copyRecordsToTable}: they build the statement, then stream through the session.
 * Records go in PostgreSQL's binary COPY format, each value encoded by the registry as the
 * column's type, straight into the CopyData messages.
 */
final class CopyCommands {

    /** The binary COPY signature, then flags and header-extension length, both 0. */
    private static final byte[] BINARY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};

    private CopyCommands() {
    }

    static long toTable(Session session, String table, InputStream source, String[] options) {
        String sql = "COPY " + tableName(table) + " FROM STDIN" + withOptions(options);
        try {
            return session.copyIn(sql, out -> {
                int total = 0;
                long start = System.nanoTime();
                while (total < CopyIn.CHUNK) {
                    int n = out.writeFrom(source, CopyIn.CHUNK - total);
                    if (n < 0) {
                        return false;
                    }
                    total += n;
                    if (System.nanoTime() - start > CopyIn.MAX_HOLD_NANOS) {
                        break; // a slow source: send what came, so a lost server is noticed soon
                    }
                }
                return true;
            });
        } catch (IOException e) {
            throw new PgException("copyToTable: reading the source failed, so the COPY was rolled back: " + e, e);
        }
    }

    static long fromTable(Session session, String table, OutputStream sink, String[] options) {
        return copyOut(session, "COPY " + tableName(table) + " TO STDOUT" + withOptions(options), sink);
    }

    static long fromQuery(Session session, String query, OutputStream sink, String[] options) {
        return copyOut(session, "COPY (" + query + ") TO STDOUT" + withOptions(options), sink);
    }

    private static long copyOut(Session session, String sql, OutputStream sink) {
        return session.copyOut(sql, sink::write);
    }

    /**
     * Copies records into a table in binary format. The columns' types come from describing
     * {@code SELECT <columns> FROM <table>}, so each value is encoded exactly as a parameter of
     * that type would be; a value that does not fit names its record, column and type.
     */
    static long recordsToTable(Session session, TypeRegistry types, ClientConnection connection, String table,
                               Iterable<Object[]> records, String[] columns) {
        String columnList = columns.length == 0 ? "*" : quotedList(columns);
        PreparedStatement described = session.prepare("", "SELECT " + columnList + " FROM " + tableName(table));
        RowDescription.Field[] fields = described.columns();
        connection.learnTypesOf(described);
        int[] oids = new int[fields.length];
        String[] names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            oids[i] = fields[i].typeOid();
            names[i] = fields[i].name();
            if (types.parameterFormat(oids[i]) != 1) {
                throw new PgException("copyRecordsToTable: column \"" + names[i] + "\" has type "
                        + types.typeName(oids[i]) + ", which has no binary codec; use copyToTable with text or CSV");
            }
        }
        String sql = "COPY " + tableName(table) + (columns.length == 0 ? "" : " (" + columnList + ")")
                + " FROM STDIN (FORMAT binary)";
        Iterator<Object[]> it = records.iterator();
        long[] index = {0};
        boolean[] headerSent = {false};
        try {
            return session.copyIn(sql, out -> {
                int start = out.position();
                if (!headerSent[0]) {
                    out.writeBytes(BINARY_HEADER);
                    headerSent[0] = true;
                }
                while (it.hasNext()) {
                    writeRecord(out, types, it.next(), oids, names, index[0]++);
                    if (out.position() - start >= CopyIn.CHUNK) {
                        return true;
                    }
                }
                out.writeShort(-1); // the file trailer
                return false;
            });
        } catch (IOException e) {
            throw new PgException("copyRecordsToTable failed: " + e, e);
        }
    }

    private static void writeRecord(WriteBuffer out, TypeRegistry types, Object[] record, int[] oids, String[] names,
                                    long index) {
        if (record == null || record.length != oids.length) {
            throw new PgException("copyRecordsToTable: record " + index + " has "
                    + (record == null ? "no" : String.valueOf(record.length)) + " values, but " + oids.length
                    + " columns are copied " + List.of(names));
        }
        out.writeShort(record.length);
        for (int i = 0; i < record.length; i++) {
            Object value = record[i];
            if (value == null) {
                out.writeInt(-1);
                continue;
            }
            int at = out.startValue();
            try {
                types.encode(oids[i], 1, value, i, out);
            } catch (PgException e) {
                throw new PgException("copyRecordsToTable: record " + index + ", column \"" + names[i] + "\": "
                        + e.getMessage(), e);
            }
            out.endValue(at);
        }
    }

    /** "users" → "users"; "app.users" → "app"."users"; an already quoted name is taken as is. */
    static String tableName(String table) {
        if (table == null || table.isBlank()) {
            throw new PgException("the table name is empty");
        }
        if (table.indexOf('"') >= 0) {
            return table;
        }
        String[] parts = table.split("\\.", -1);
        StringBuilder b = new StringBuilder();
        for (String part : parts) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(quoteIdentifier(part));
        }
        return b.toString();
    }

    private static String quotedList(String[] columns) {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(quoteIdentifier(c));
        }
        return b.toString();
    }

    static String quoteIdentifier(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new PgException("invalid identifier \"" + name + "\"");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String withOptions(String[] options) {
        if (options == null || options.length == 0) {
            return "";
        }
        return " (" + String.join(", ", options) + ")";
    }
}
