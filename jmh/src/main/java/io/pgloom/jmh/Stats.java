package io.pgloom.jmh;

/** The interleaved runs' summaries: a mean and the half-width of its 99.9% t-interval, as JMH's error bars. */
final class Stats {

    private Stats() {
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Half-width of the 99.9% t-interval of the mean; NaN for fewer than two values. */
    static double halfWidth(double[] v) {
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
