package io.pgloom.internal.client;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * pgloom's JDK Flight Recorder events, {@code io.pgloom.Query} and {@code io.pgloom.Cancel}
 * (the pool adds {@code io.pgloom.PoolAcquire}). Record them with
 * {@code java -XX:StartFlightRecording:filename=app.jfr ...} and read them with
 * {@code jfr print --events io.pgloom.Query app.jfr}. Like the JDK's socket events, a query
 * is recorded when it took 10 ms or more unless the recording says otherwise
 * ({@code -XX:StartFlightRecording:io.pgloom.Query#threshold=0ms,...} records every one).
 *
 * <p>Core reads module {@code jdk.jfr} only when the runtime has it ({@code requires static}):
 * on a runtime image built without it, {@link #PRESENT} is false and no event class is ever
 * touched. While no recording asks for an event, checking costs one volatile read.
 */
final class Jfr {

    /** Whether the runtime has module jdk.jfr at all. */
    static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Jfr() {
    }

    /** True when a recording wants {@code io.pgloom.Query} events now. */
    static boolean queryEnabled() {
        return PRESENT && Types.QUERY.isEnabled();
    }

    /** Starts timing a query for an {@code io.pgloom.Query} event; pass what it returns to {@link #queryEnded}. */
    static Object queryStarted() {
        QueryEvent e = new QueryEvent();
        e.begin();
        return e;
    }

    /** Commits the event {@link #queryStarted} began, when the recording's threshold lets it. */
    static void queryEnded(Object started, String sql, long rows, Throwable error, int serverPid) {
        QueryEvent e = (QueryEvent) started;
        e.end();
        if (e.shouldCommit()) {
            e.sql = sql;
            e.rows = rows;
            e.error = error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage();
            e.sqlState = error instanceof io.pgloom.PgException p ? p.sqlState() : null;
            e.serverPid = serverPid;
            e.commit();
        }
    }

    /** Records a CancelRequest sent for {@code serverPid}, and why. */
    static void cancel(int serverPid, String host, String reason) {
        if (!PRESENT) {
            return;
        }
        CancelEvent e = new CancelEvent();
        if (e.shouldCommit()) {
            e.serverPid = serverPid;
            e.host = host;
            e.reason = reason;
            e.commit();
        }
    }

    /** Holds the event types apart, so that nothing loads jdk.jfr unless {@link #PRESENT}. */
    private static final class Types {
        static final EventType QUERY = EventType.getEventType(QueryEvent.class);
    }

    @Name("io.pgloom.Query")
    @Label("PostgreSQL Query")
    @Category({"pgloom"})
    @Description("A query run by a pgloom connection, from hand-over to the last row decoded")
    @StackTrace(true)
    @Threshold("10 ms")
    static final class QueryEvent extends Event {
        @Label("SQL")
        String sql;
        @Label("Rows")
        @Description("Rows fetched or affected; -1 when unknown")
        long rows;
        @Label("Error")
        String error;
        @Label("SQLSTATE")
        String sqlState;
        @Label("Server PID")
        int serverPid;
    }

    @Name("io.pgloom.Cancel")
    @Label("PostgreSQL Cancel Request")
    @Category({"pgloom"})
    @Description("A CancelRequest sent for a running query: a command timeout, an interrupt or cancel()")
    @StackTrace(true)
    static final class CancelEvent extends Event {
        @Label("Server PID")
        int serverPid;
        @Label("Host")
        String host;
        @Label("Reason")
        String reason;
    }
}
