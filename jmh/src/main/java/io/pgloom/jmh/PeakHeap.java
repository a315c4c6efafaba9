package io.pgloom.jmh;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JMH profiler that reports how much heap an iteration needed, in MiB, as the largest value of
 * any iteration (not a mean): {@code heap.peak}, the heap pools' peak use (what the JVM had to
 * hold, garbage included, so it depends on the collector's sizing too), and {@code heap.live},
 * the most heap still in use right after a collection during the iteration (what the benchmark
 * kept reachable: for an export, the rows a client holds at once; 0 when no collection ran). The
 * suite adds it to every benchmark and shows it for W8; by hand:
 * {@code -prof io.pgloom.jmh.PeakHeap}.
 */
public final class PeakHeap implements InternalProfiler {

    static final String PEAK = "heap.peak";
    static final String LIVE = "heap.live";

    private final AtomicLong liveAfterGc = new AtomicLong();
    private final NotificationListener onGc = this::onGc;

    @Override
    public String getDescription() {
        return "peak heap use and peak heap live after a GC, per iteration, MiB";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        liveAfterGc.set(0); // no System.gc() here: it would change every other benchmark's iterations
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(onGc, null, null);
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(onGc);
            } catch (ListenerNotFoundException ignored) {
                // not added (a collector without notifications)
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult(PEAK, peak / 1048576.0, "MiB", AggregationPolicy.MAX));
        out.add(new ScalarResult(LIVE, liveAfterGc.get() / 1048576.0, "MiB", AggregationPolicy.MAX));
        return out;
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeap(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        liveAfterGc.accumulateAndGet(used, Math::max);
    }

    private static boolean isHeap(String poolName) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(poolName)) {
                return pool.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }
}
