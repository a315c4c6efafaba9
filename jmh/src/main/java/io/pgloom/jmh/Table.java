package io.pgloom.jmh;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result ({@code -rf json}) and W5's results into the markdown tables of
 * {@code jmh/RESULTS.md}: each workload, each client, score ± error (JMH's 99.9% interval), and
 * pgloom's ratio to pgjdbc with the error carried through.
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.Table jmh/target/results/jmh.json</pre>
 */
public final class Table {

    private Table() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(render(Files.readString(Path.of(args[0])), List.of()));
    }

    private static final Map<String, String> WORKLOADS = Map.of(
            "W1SelectOne", "W1 `SELECT $1::int4`",
            "W2PointSelect", "W2 point select, 7 columns",
            "W3RangeSelect", "W3 1,000 rows per query",
            "W4Insert", "W4 insert 10,000 rows");

    /** One JMH result line. */
    record Score(String workload, String client, String thread, double score, double error, String unit,
                 double bytesPerOp, double bytesError) {
    }

    public static String render(String json, List<W5PoolLoad.Result> w5) {
        List<Score> scores = new ArrayList<>();
        for (Object o : new JsonArray(json)) {
            JsonObject r = (JsonObject) o;
            String[] name = r.getString("benchmark").split("\\.");
            String workload = name[name.length - 2];
            String client = name[name.length - 1];
            JsonObject params = r.getJsonObject("params");
            String thread = params != null && params.getString("thread") != null ? params.getString("thread") : "virtual";
            JsonObject primary = r.getJsonObject("primaryMetric");
            JsonObject secondary = r.getJsonObject("secondaryMetrics");
            JsonObject norm = secondary == null ? null : secondary.getJsonObject("gc.alloc.rate.norm");
            scores.add(new Score(workload, client, thread, number(primary.getValue("score")),
                    number(primary.getValue("scoreError")), primary.getString("scoreUnit"),
                    norm == null ? Double.NaN : number(norm.getValue("score")),
                    norm == null ? Double.NaN : number(norm.getValue("scoreError"))));
        }
        StringBuilder b = new StringBuilder();
        b.append("| workload | client | thread | score | unit | pgloom ÷ pgjdbc |\n");
        b.append("|---|---|---|---:|---|---:|\n");
        for (String workload : List.of("W1SelectOne", "W2PointSelect", "W3RangeSelect", "W4Insert")) {
            for (Score s : scores) {
                if (!s.workload.equals(workload)) {
                    continue;
                }
                String unit = s.unit.replace("ops/s", workload.startsWith("W3") || workload.startsWith("W4") ? "rows/s" : "ops/s");
                String ratio = "";
                if (s.client.startsWith("pgloom")) {
                    Score base = find(scores, workload, workload.equals("W4Insert") ? "pgjdbcExecuteBatch" : "pgjdbc", s.thread);
                    ratio = base == null ? "" : ratio(s.score, s.error, base.score, base.error);
                }
                b.append("| ").append(WORKLOADS.getOrDefault(workload, workload)).append(" | ").append(s.client)
                        .append(" | ").append(s.thread).append(" | ").append(fmt(s.score)).append(" ± ")
                        .append(fmt(s.error)).append(" | ").append(unit).append(" | ").append(ratio).append(" |\n");
            }
        }
        b.append("\n**W6** allocation per W2 query (`-prof gc`, `gc.alloc.rate.norm`; lower is better):\n\n");
        b.append("| client | thread | bytes/op | pgloom ÷ pgjdbc |\n|---|---|---:|---:|\n");
        for (Score s : scores) {
            if (s.workload.equals("W2PointSelect") && !Double.isNaN(s.bytesPerOp)) {
                String ratio = "";
                if (s.client.equals("pgloom")) {
                    Score base = find(scores, "W2PointSelect", "pgjdbc", s.thread);
                    ratio = base == null ? "" : String.format(Locale.ROOT, "%.2f", s.bytesPerOp / base.bytesPerOp);
                }
                b.append("| ").append(s.client).append(" | ").append(s.thread).append(" | ")
                        .append(fmt(s.bytesPerOp)).append(" ± ").append(fmt(s.bytesError)).append(" | ")
                        .append(ratio).append(" |\n");
            }
        }
        if (!w5.isEmpty()) {
            b.append("\n**W5** 1,000 virtual threads sharing a pool of 16, W2's query in a loop (ops/s: mean ± sd of the")
                    .append(" window's one-second slices; latency includes waiting for a connection):\n\n");
            b.append("| client | ops/s | p50 ms | p99 ms | max ms | callers that completed nothing | errors | ÷ HikariCP |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            W5PoolLoad.Result hikari = w5.stream().filter(r -> r.client().equals("hikari")).findFirst().orElse(null);
            for (W5PoolLoad.Result r : w5) {
                String ratio = hikari == null || r == hikari ? "" : ratio(r.opsPerSecond(), r.opsPerSecondSd(),
                        hikari.opsPerSecond(), hikari.opsPerSecondSd());
                String name = switch (r.client()) {
                    case "pgloom" -> "pgloom PgPool";
                    case "hikari" -> "pgjdbc + HikariCP";
                    default -> "vertx-pg-client Pool";
                };
                b.append("| ").append(name).append(" | ").append(fmt(r.opsPerSecond())).append(" ± ")
                        .append(fmt(r.opsPerSecondSd())).append(" | ").append(ms(r.p50Nanos())).append(" | ")
                        .append(ms(r.p99Nanos())).append(" | ").append(ms(r.maxNanos())).append(" | ")
                        .append(r.starved()).append(" of ").append(r.callers()).append(" | ").append(r.errors())
                        .append(" | ").append(ratio).append(" |\n");
            }
        }
        return b.toString();
    }

    private static Score find(List<Score> scores, String workload, String client, String thread) {
        for (Score s : scores) {
            if (s.workload.equals(workload) && s.client.equals(client) && s.thread.equals(thread)) {
                return s;
            }
        }
        return null;
    }

    /** a/b with the relative errors added in quadrature. */
    private static String ratio(double a, double ea, double b, double eb) {
        double r = a / b;
        double e = r * Math.sqrt(sq(ea / a) + sq(eb / b));
        return String.format(Locale.ROOT, "**%.2f** ± %.2f", r, Double.isNaN(e) ? 0 : e);
    }

    private static double sq(double x) {
        return Double.isNaN(x) ? 0 : x * x;
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        return o == null ? Double.NaN : Double.parseDouble(o.toString()); // JMH writes "NaN" as a string
    }

    private static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        return d >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
