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
 * Turns JMH's JSON results ({@code -rf json}) and W5's results into the markdown tables of
 * {@code jmh/RESULTS.md}: each workload, each client, score ± error, and pgloom's ratio to
 * pgjdbc with the error carried through.
 *
 * <p>Several result files (the suite's rounds) are merged: every measured iteration of every
 * round counts as one sample, and the error is the 99.9% confidence interval of their mean, as
 * JMH computes it for one run. Rounds interleave the clients in time, so a burst of load from
 * elsewhere on the machine falls on all of them instead of on whichever ran at that moment.
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.Table jmh/target/results/jmh-1.json jmh/target/results/jmh-2.json ...</pre>
 */
public final class Table {

    private Table() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jsons = new ArrayList<>();
        for (String a : args) {
            jsons.add(Files.readString(Path.of(a)));
        }
        System.out.println(render(jsons, List.of()));
    }

    private static final Map<String, String> WORKLOADS = Map.of(
            "W1SelectOne", "W1 `SELECT $1::int4`",
            "W2PointSelect", "W2 point select, 7 columns",
            "W3RangeSelect", "W3 1,000 rows per query",
            "W4Insert", "W4 insert 10,000 rows",
            "W6Pipeline", "W6 100 independent point selects, one pipeline",
            "W8CursorExport", "W8 export 1,000,000 rows through a cursor");

    /** One JMH result line: the score, and the means and errors of its secondary metrics (NaN when absent). */
    record Score(String workload, String client, String thread, String sslmode, double score, double error, String unit,
                 double bytesPerOp, double bytesError, double clientCpu, double serverCpu) {
    }

    /** The secondary metrics the tables show, in the order Score holds them. */
    private static final List<String> SECONDARY = List.of("gc.alloc.rate.norm", CpuPerOp.CLIENT, CpuPerOp.SERVER);

    public static String render(List<String> jsons, List<W5PoolLoad.Result> w5) {
        return render(jsons, w5, List.of());
    }

    /** The tables; {@code w5Tls} holds W5's runs with every client over TLS (may be empty). */
    public static String render(List<String> jsons, List<W5PoolLoad.Result> w5, List<W5PoolLoad.Result> w5Tls) {
        // key -> [primary samples, then one array per SECONDARY metric]
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (String json : jsons) {
            for (Object o : new JsonArray(json)) {
                JsonObject r = (JsonObject) o;
                JsonObject params = r.getJsonObject("params");
                String thread = params != null && params.getString("thread") != null ? params.getString("thread") : "virtual";
                String sslmode = sslmode(r);
                String key = r.getString("benchmark") + "|" + thread + "|" + sslmode;
                JsonObject primary = r.getJsonObject("primaryMetric");
                JsonObject secondary = r.getJsonObject("secondaryMetrics");
                units.put(key, primary.getString("scoreUnit"));
                List<double[]> s = samples.computeIfAbsent(key, k -> {
                    List<double[]> empty = new ArrayList<>();
                    for (int i = 0; i <= SECONDARY.size(); i++) {
                        empty.add(new double[0]);
                    }
                    return empty;
                });
                s.set(0, concat(s.get(0), raw(primary)));
                for (int i = 0; i < SECONDARY.size(); i++) {
                    JsonObject metric = secondary == null ? null : secondary.getJsonObject(SECONDARY.get(i));
                    if (metric != null) {
                        s.set(i + 1, concat(s.get(i + 1), raw(metric)));
                    }
                }
            }
        }
        List<Score> scores = new ArrayList<>();
        for (var e : samples.entrySet()) {
            String[] key = e.getKey().split("\\|");
            String[] name = key[0].split("\\.");
            List<double[]> s = e.getValue();
            scores.add(new Score(name[name.length - 2], name[name.length - 1], key[1], key[2], mean(s.get(0)),
                    error(s.get(0)), units.get(e.getKey()), mean(s.get(1)), error(s.get(1)), meanOfKnown(s.get(2)), meanOfKnown(s.get(3))));
        }
        StringBuilder b = new StringBuilder();
        b.append("| workload | client | thread | score | unit | pgloom ÷ pgjdbc | client CPU µs/op | server CPU µs/op |\n");
        b.append("|---|---|---|---:|---|---:|---:|---:|\n");
        for (String workload : List.of("W1SelectOne", "W2PointSelect", "W3RangeSelect", "W4Insert", "W6Pipeline",
                "W8CursorExport")) {
            for (String sslmode : List.of("disable", "require")) {
                for (Score s : scores) {
                    if (!s.workload.equals(workload) || !s.sslmode.equals(sslmode)) {
                        continue;
                    }
                    String unit = s.unit.replace("ops/s", workload.matches("W[348].*") ? "rows/s" : "ops/s");
                    String ratio = "";
                    if (s.client.startsWith("pgloom")) {
                        String baseline = workload.equals("W6Pipeline") ? "vertx" : !workload.equals("W4Insert") ? "pgjdbc"
                                : s.client.contains("Copy") ? "pgjdbcCopy" : "pgjdbcExecuteBatch";
                        Score base = find(scores, workload, baseline, s.thread, s.sslmode);
                        ratio = base == null ? "" : ratio(s.score, s.error, base.score, base.error);
                    }
                    String label = WORKLOADS.getOrDefault(workload, workload)
                            + (sslmode.equals("disable") ? "" : ", TLS (sslmode=" + sslmode + ")");
                    b.append("| ").append(label).append(" | ").append(s.client)
                            .append(" | ").append(s.thread).append(" | ").append(fmt(s.score)).append(" ± ")
                            .append(fmt(s.error)).append(" | ").append(unit).append(" | ").append(ratio).append(" | ")
                            .append(cpu(s.clientCpu)).append(" | ").append(cpu(s.serverCpu)).append(" |\n");
                }
            }
        }
        b.append("\n**W2 allocation** per query (`-prof gc`, `gc.alloc.rate.norm`; lower is better):\n\n");
        b.append("| client | thread | bytes/op | pgloom ÷ pgjdbc |\n|---|---|---:|---:|\n");
        for (Score s : scores) {
            if (s.workload.equals("W2PointSelect") && s.sslmode.equals("disable") && !Double.isNaN(s.bytesPerOp)) {
                String ratio = "";
                if (s.client.equals("pgloom")) {
                    Score base = find(scores, "W2PointSelect", "pgjdbc", s.thread, s.sslmode);
                    ratio = base == null ? "" : String.format(Locale.ROOT, "%.2f", s.bytesPerOp / base.bytesPerOp);
                }
                b.append("| ").append(s.client).append(" | ").append(s.thread).append(" | ")
                        .append(fmt(s.bytesPerOp)).append(" ± ").append(fmt(s.bytesError)).append(" | ")
                        .append(ratio).append(" |\n");
            }
        }
        b.append(W8CursorExport.heapTable(jsons));
        w5(b, w5, "");
        w5(b, w5Tls, ", every client over TLS (sslmode=require)");
        return b.toString();
    }

    /** The sslmode a JMH result's fork ran with ({@link BenchDb#SSLMODE_PROPERTY} among its JVM options). */
    private static String sslmode(JsonObject result) {
        JsonArray jvmArgs = result.getJsonArray("jvmArgs");
        String prefix = "-D" + BenchDb.SSLMODE_PROPERTY + "=";
        String mode = "disable";
        if (jvmArgs != null) {
            for (Object a : jvmArgs) {
                if (a.toString().startsWith(prefix)) {
                    mode = a.toString().substring(prefix.length());
                }
            }
        }
        return mode;
    }

    private static void w5(StringBuilder b, List<W5PoolLoad.Result> w5, String title) {
        if (!w5.isEmpty()) {
            b.append("\n**W5** 1,000 virtual threads sharing a pool of 16, W2's query in a loop").append(title)
                    .append(" (ops/s: mean ± sd of the window's one-second slices; latency includes waiting for a")
                    .append(" connection):\n\n");
            b.append("| client | ops/s | p50 ms | p99 ms | max ms | callers that completed nothing | errors | ÷ HikariCP")
                    .append(" | client CPU µs/op | server CPU µs/op |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            W5PoolLoad.Result hikari = w5.stream().filter(r -> r.client().equals("hikari")).findFirst().orElse(null);
            for (W5PoolLoad.Result r : w5) {
                String ratio = hikari == null || r == hikari ? "" : ratio(r.opsPerSecond(), r.opsPerSecondSd(),
                        hikari.opsPerSecond(), hikari.opsPerSecondSd());
                String name = switch (r.client()) {
                    case "pgloom" -> "pgloom PgPool";
                    case "hikari" -> "pgjdbc + HikariCP";
                    default -> "vertx-pg-client pipelined client";
                };
                b.append("| ").append(name).append(" | ").append(fmt(r.opsPerSecond())).append(" ± ")
                        .append(fmt(r.opsPerSecondSd())).append(" | ").append(ms(r.p50Nanos())).append(" | ")
                        .append(ms(r.p99Nanos())).append(" | ").append(ms(r.maxNanos())).append(" | ")
                        .append(r.starved()).append(" of ").append(r.callers()).append(" | ").append(r.errors())
                        .append(" | ").append(ratio).append(" | ").append(cpu(r.clientCpuMicros())).append(" | ")
                        .append(cpu(r.serverCpuMicros())).append(" |\n");
            }
        }
    }

    private static Score find(List<Score> scores, String workload, String client, String thread, String sslmode) {
        for (Score s : scores) {
            if (s.workload.equals(workload) && s.client.equals(client) && s.thread.equals(thread)
                    && s.sslmode.equals(sslmode)) {
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

    /** Every measured iteration of every fork. */
    private static double[] raw(JsonObject metric) {
        JsonArray forks = metric.getJsonArray("rawData");
        List<Double> all = new ArrayList<>();
        if (forks != null) {
            for (Object fork : forks) {
                for (Object v : (JsonArray) fork) {
                    all.add(number(v));
                }
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : java.util.Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** The mean of the samples that are not NaN (CPU figures are unknown for some iterations). */
    private static double meanOfKnown(double[] x) {
        return mean(java.util.Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray());
    }

    /** Half-width of the 99.9% confidence interval of the mean (Student's t), as JMH reports. */
    private static double error(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double var = java.util.Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1);
        double t = new org.apache.commons.math3.distribution.TDistribution(x.length - 1).inverseCumulativeProbability(0.9995);
        return t * Math.sqrt(var / x.length);
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

    /** A CPU figure in µs/op, with more digits where it is small (W3 and W4 count rows). */
    private static String cpu(double micros) {
        if (Double.isNaN(micros)) {
            return "n/a";
        }
        return micros >= 10 ? String.format(Locale.ROOT, "%.1f", micros) : String.format(Locale.ROOT, "%.2f", micros);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
