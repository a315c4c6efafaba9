package io.pgloom.internal.session;

import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendMessage;
import io.pgloom.internal.wire.Bind;
import io.pgloom.internal.wire.BindComplete;
import io.pgloom.internal.wire.CloseComplete;
import io.pgloom.internal.wire.CommandComplete;
import io.pgloom.internal.wire.DataRow;
import io.pgloom.internal.wire.Describe;
import io.pgloom.internal.wire.EmptyQueryResponse;
import io.pgloom.internal.wire.Execute;
import io.pgloom.internal.wire.NoData;
import io.pgloom.internal.wire.ParameterDescription;
import io.pgloom.internal.wire.Parse;
import io.pgloom.internal.wire.ParseComplete;
import io.pgloom.internal.wire.RowDescription;
import io.pgloom.internal.wire.Sync;

import java.util.List;

/**
 * The kinds of request a {@link PipelinedSession} carries, each with its own Sync (a plain read
 * may share its group's instead; see {@link PipelinedSession.Request#shareSync}): what it
 * writes, and which messages make up its reply.
 */
public final class PipelinedRequests {

    private PipelinedRequests() {
    }

    /** Parse, Describe, Sync: a named statement and what the server inferred about it. */
    public static final class Prepare extends PipelinedSession.Request {
        private final String name;
        private final String sql;
        private int[] parameterOids;
        private RowDescription.Field[] columns;

        public Prepare(String name, String sql) {
            this.name = name;
            this.sql = sql;
        }

        @Override
        protected void encode(WriteBuffer out) {
            new Parse(name, sql).encode(out);
            Describe.statement(name).encode(out);
            Sync.encode(out);
        }

        @Override
        protected boolean reply(BackendMessage m) {
            switch (m) {
                case ParseComplete p -> { }
                case CloseComplete c -> { }
                case ParameterDescription p -> parameterOids = p.typeOids();
                case RowDescription r -> columns = r.fields();
                case NoData n -> columns = null;
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** The statement, once the reply came without an error. */
        public PreparedStatement result() {
            if (parameterOids == null) {
                throw new io.pgloom.PgException("protocol violation: no ParameterDescription after Describe");
            }
            return new PreparedStatement(name, sql, parameterOids, columns);
        }

        public String name() {
            return name;
        }
    }

    /**
     * Bind, Execute, Sync of one prepared statement, or of several under one Sync (a batch);
     * with {@code sql} set, the unnamed statement is parsed first, in the same request, so no
     * other request can come between its Parse and its Bind.
     */
    public static class Execute extends PipelinedSession.Request {
        private final String sql;
        private final List<Session.BatchEntry> entries;
        private final RowSink sink;
        private final int maxRows;
        private String tag;
        private int completed;

        /** One execution of a prepared statement; rows go to {@code sink} on the reader's thread. */
        public Execute(Session.BatchEntry entry, RowSink sink) {
            this(null, List.of(entry), sink, 0);
        }

        /**
         * One execution asking for at most {@code maxRows} rows (0: all), as fetchRow does: when the
         * limit cuts the result short it ends with PortalSuspended and no command tag.
         */
        public Execute(Session.BatchEntry entry, RowSink sink, int maxRows) {
            this(null, List.of(entry), sink, maxRows);
        }

        /** Several executions under one Sync: after the first error the server skips the rest. */
        public Execute(List<Session.BatchEntry> entries) {
            this(null, entries, RowSink.DISCARD, 0);
        }

        /** A statement without parameters, parsed as the unnamed statement; rows are discarded. */
        public static Execute unnamed(String sql) {
            return new Execute(sql, List.of(new Session.BatchEntry("", new short[0], Bind.NO_VALUES, new short[0])),
                    RowSink.DISCARD, 0);
        }

        private Execute(String sql, List<Session.BatchEntry> entries, RowSink sink, int maxRows) {
            this.sql = sql;
            this.entries = entries;
            this.sink = sink;
            this.maxRows = maxRows;
        }

        @Override
        protected void encode(WriteBuffer out) {
            if (sql != null) {
                new Parse("", sql).encode(out);
            }
            for (Session.BatchEntry e : entries) {
                Bind.encode(out, e.statement(), e.parameterFormats(), e.values(), e.resultFormats());
                io.pgloom.internal.wire.Execute.encodeUnnamed(out, maxRows);
            }
            if (!syncShared()) {
                Sync.encode(out);
            }
        }

        @Override
        protected boolean reply(BackendMessage m) {
            switch (m) {
                case DataRow d -> {
                    if (error() == null && !isAbandoned()) {
                        sink.row(d);
                    }
                }
                case BindComplete b -> { }
                case ParseComplete p -> { }
                case CloseComplete c -> { }
                case CommandComplete c -> {
                    tag = c.tag();
                    completed++;
                }
                case EmptyQueryResponse e -> {
                    tag = "";
                    completed++;
                }
                case io.pgloom.internal.wire.PortalSuspended p -> completed++; // the row limit was reached
                default -> {
                    return false;
                }
            }
            return true;
        }

        @Override
        protected void reset() {
            tag = null;
            completed = 0;
        }

        /** The last command tag. */
        public String tag() {
            return tag;
        }

        /** How many executions completed. */
        public int completed() {
            return completed;
        }
    }

    /** A simple Query (one or several statements, text rows dropped): the reset queued by a pool. */
    static final class SimpleQuery extends PipelinedSession.Request {
        private final String sql;

        SimpleQuery(String sql) {
            this.sql = sql;
        }

        @Override
        protected void encode(WriteBuffer out) {
            new io.pgloom.internal.wire.Query(sql).encode(out);
        }

        @Override
        protected boolean reply(BackendMessage m) {
            return switch (m) {
                case CommandComplete c -> true;
                case RowDescription r -> true;
                case DataRow d -> true;
                case EmptyQueryResponse e -> true;
                default -> false;
            };
        }
    }
}
