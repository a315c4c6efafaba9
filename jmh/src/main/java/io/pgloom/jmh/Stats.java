package io.pgloom.jmh;

/** The interleaved runs' summaries: a mean and the half-width of its 99.9% t-interval, as JMH's error bars. */
final class Stats {

    private Stats() {
    }

    /**
     * One line per column of {@code rows} (a row per cycle): the column's label, mean, the
     * half-width of its 99.9% t-interval and the interval's lower end, each line led by {@code tag}.
     */
    static java.util.List<String> summary(String tag, String[] labels, java.util.List<double[]> rows) {
        java.util.List<String> lines = new java.util.ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            int col = i;
            double[] v = rows.stream().mapToDouble(r -> r[col]).toArray();
            double mean = mean(v);
            double half = halfWidth(v);
            lines.add(String.format(java.util.Locale.ROOT, "%s   %-20s %,14.3f ± %,.3f (lower %,.3f)", tag, labels[i],
                    mean, half, mean - half));
        }
        return lines;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Half-width of the 99.9% t-interval of the mean; NaN for fewer than two values. */
    private static double halfWidth(double[] v) {
        int n = v.length;
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double t = new org.apache.commons.math3.distribution.TDistribution(n - 1).inverseCumulativeProbability(0.9995);
        return t * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
    }
}
