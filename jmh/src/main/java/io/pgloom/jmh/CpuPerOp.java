package io.pgloom.jmh;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A JMH profiler that reports CPU per operation beside the score: {@code cpu.client} (this fork's
 * whole process CPU time over the iteration, divided by its operations) and {@code cpu.server}
 * (the server's client backends, see {@link CpuClock}), both in µs/op. The suite adds it to
 * every benchmark; by hand: {@code -prof io.pgloom.jmh.CpuPerOp}.
 *
 * <p>Operations are JMH's (invocations times {@code @OperationsPerInvocation}), so a W3 "op" is
 * one row, like its score. The client figure includes what the fork's JVM does besides the
 * benchmark (GC, JIT, JMH's own thread waiting for the iteration to end), which is the same for
 * every client and small once warmed up.
 */
public final class CpuPerOp implements InternalProfiler {

    /** Secondary-metric names, as they appear in JMH's JSON and in {@link Table}. */
    static final String CLIENT = "cpu.client";
    static final String SERVER = "cpu.server";

    private long clientBefore;
    private Map<Long, Long> serverBefore = Map.of();

    @Override
    public String getDescription() {
        return "client (process) and server (backend) CPU time per operation, µs/op";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        serverBefore = CpuClock.serverSnapshot();
        clientBefore = CpuClock.processCpuNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long client = CpuClock.processCpuNanos() - clientBefore;
        double server = CpuClock.serverCpuNanosSince(serverBefore);
        long ops = result.getMetadata().getAllOps();
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult(CLIENT, ops == 0 ? Double.NaN : client / 1e3 / ops, "µs/op", AggregationPolicy.AVG));
        // The last iteration ends after the trial's tear-down closed the benchmark's connections,
        // so their backends are gone and the server figure is unknown: left out, so that it does
        // not turn the average of the others into NaN.
        if (ops > 0 && !Double.isNaN(server)) {
            out.add(new ScalarResult(SERVER, server / 1e3 / ops, "µs/op", AggregationPolicy.AVG));
        }
        return out;
    }
}
