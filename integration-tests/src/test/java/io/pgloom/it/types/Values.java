package io.pgloom.it.types;

import io.pgloom.Row;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Equality for decoded values: byte arrays by content, lists, maps and rows deeply, NaN equal to NaN. */
final class Values {

    private Values() {
    }

    static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = y.iterator();
            for (Object item : x) {
                if (!same(item, i.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        if (a instanceof Row x && b instanceof Row y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b); // Double.equals and Float.equals hold NaN equal to itself
    }

    static String show(Object v) {
        if (v instanceof byte[] b) {
            return "byte[" + b.length + "]";
        }
        String s = v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
