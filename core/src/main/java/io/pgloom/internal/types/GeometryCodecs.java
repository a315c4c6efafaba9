package io.pgloom.internal.types;

import io.pgloom.PgBox;
import io.pgloom.PgCircle;
import io.pgloom.PgLine;
import io.pgloom.PgLseg;
import io.pgloom.PgPath;
import io.pgloom.PgPoint;
import io.pgloom.PgPolygon;
import io.pgloom.internal.io.WriteBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometric types, each a fixed or counted run of float8 coordinates in binary: point,
 * line ({a,b,c}), lseg, box (upper-right corner, then lower-left), path (closed flag, count,
 * points), polygon (count, points) and circle (center, radius).
 */
final class GeometryCodecs {

    private GeometryCodecs() {
    }

    static final Codec POINT = new Geometry("PgPoint") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 16, "point");
            return point(buf, offset);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            writePoint(out, cast(value, PgPoint.class));
        }

        Object fromNumbers(String text, double[] n) {
            return new PgPoint(n[0], n[1]);
        }

        public String encodeText(Object value) {
            return text(cast(value, PgPoint.class));
        }
    };

    static final Codec LINE = new Geometry("PgLine") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 24, "line");
            return new PgLine(Bytes.float64(buf, offset), Bytes.float64(buf, offset + 8), Bytes.float64(buf, offset + 16));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgLine l = cast(value, PgLine.class);
            out.writeDouble(l.a());
            out.writeDouble(l.b());
            out.writeDouble(l.c());
        }

        Object fromNumbers(String text, double[] n) {
            return new PgLine(n[0], n[1], n[2]);
        }

        public String encodeText(Object value) {
            PgLine l = cast(value, PgLine.class);
            return "{" + f(l.a()) + "," + f(l.b()) + "," + f(l.c()) + "}";
        }
    };

    static final Codec LSEG = new Geometry("PgLseg") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 32, "lseg");
            return new PgLseg(point(buf, offset), point(buf, offset + 16));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgLseg l = cast(value, PgLseg.class);
            writePoint(out, l.start());
            writePoint(out, l.end());
        }

        Object fromNumbers(String text, double[] n) {
            return new PgLseg(new PgPoint(n[0], n[1]), new PgPoint(n[2], n[3]));
        }

        public String encodeText(Object value) {
            PgLseg l = cast(value, PgLseg.class);
            return "[" + text(l.start()) + "," + text(l.end()) + "]";
        }
    };

    static final Codec BOX = new Geometry("PgBox") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 32, "box");
            return new PgBox(point(buf, offset), point(buf, offset + 16));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            // box_recv reorders the corners itself, as box_in does.
            PgBox b = cast(value, PgBox.class);
            writePoint(out, b.high());
            writePoint(out, b.low());
        }

        Object fromNumbers(String text, double[] n) {
            return new PgBox(new PgPoint(n[0], n[1]), new PgPoint(n[2], n[3]));
        }

        public String encodeText(Object value) {
            PgBox b = cast(value, PgBox.class);
            return text(b.high()) + "," + text(b.low());
        }
    };

    static final Codec PATH = new Geometry("PgPath") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.require(offset, 5, offset + length, "path");
            boolean closed = buf[offset] != 0;
            int n = Bytes.int32(buf, offset + 1);
            requireCount(n, length - 5, "path");
            return new PgPath(points(buf, offset + 5, n), closed);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgPath p = cast(value, PgPath.class);
            out.writeByte(p.closed() ? 1 : 0);
            out.writeInt(p.points().size());
            p.points().forEach(point -> writePoint(out, point));
        }

        Object fromNumbers(String text, double[] n) {
            return new PgPath(pointList(n), !text.trim().startsWith("["));
        }

        public String encodeText(Object value) {
            PgPath p = cast(value, PgPath.class);
            return (p.closed() ? "(" : "[") + texts(p.points()) + (p.closed() ? ")" : "]");
        }
    };

    static final Codec POLYGON = new Geometry("PgPolygon") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.require(offset, 4, offset + length, "polygon");
            int n = Bytes.int32(buf, offset);
            requireCount(n, length - 4, "polygon");
            return new PgPolygon(points(buf, offset + 4, n));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgPolygon p = cast(value, PgPolygon.class);
            out.writeInt(p.points().size());
            p.points().forEach(point -> writePoint(out, point));
        }

        Object fromNumbers(String text, double[] n) {
            return new PgPolygon(pointList(n));
        }

        public String encodeText(Object value) {
            return "(" + texts(cast(value, PgPolygon.class).points()) + ")";
        }
    };

    static final Codec CIRCLE = new Geometry("PgCircle") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 24, "circle");
            return new PgCircle(point(buf, offset), Bytes.float64(buf, offset + 16));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgCircle c = cast(value, PgCircle.class);
            writePoint(out, c.center());
            out.writeDouble(c.radius());
        }

        Object fromNumbers(String text, double[] n) {
            return new PgCircle(new PgPoint(n[0], n[1]), n[2]);
        }

        public String encodeText(Object value) {
            PgCircle c = cast(value, PgCircle.class);
            return "<" + text(c.center()) + "," + f(c.radius()) + ">";
        }
    };

    /**
     * Fails unless n points fill exactly the bytes after the count; in long arithmetic, since
     * 16 * n overflows an int for counts from 2^27 (2^28 points would pass as 0 bytes).
     */
    private static void requireCount(int n, int bytes, String type) {
        if (n < 0 || 16L * n != bytes) {
            throw ValueException.malformed(type + ": " + n + " points in " + bytes + " bytes");
        }
    }

    private static PgPoint point(byte[] buf, int at) {
        return new PgPoint(Bytes.float64(buf, at), Bytes.float64(buf, at + 8));
    }

    private static List<PgPoint> points(byte[] buf, int at, int n) {
        List<PgPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(point(buf, at + 16 * i));
        }
        return points;
    }

    private static List<PgPoint> pointList(double[] n) {
        List<PgPoint> points = new ArrayList<>(n.length / 2);
        for (int i = 0; i + 1 < n.length; i += 2) {
            points.add(new PgPoint(n[i], n[i + 1]));
        }
        return points;
    }

    private static void writePoint(WriteBuffer out, PgPoint p) {
        out.writeDouble(p.x());
        out.writeDouble(p.y());
    }

    private static String f(double d) {
        return FloatText.format(d, false);
    }

    private static String text(PgPoint p) {
        return "(" + f(p.x()) + "," + f(p.y()) + ")";
    }

    private static String texts(List<PgPoint> points) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            b.append(i == 0 ? "" : ",").append(text(points.get(i)));
        }
        return b.toString();
    }

    private abstract static class Geometry implements Codec {
        private final String accepts;

        Geometry(String accepts) {
            this.accepts = accepts;
        }

        public boolean binary() {
            return true;
        }

        public String accepts() {
            return accepts;
        }

        abstract Object fromNumbers(String text, double[] numbers);

        /** Every geometric text form is numbers between brackets; the brackets tell only path's kind. */
        public Object decodeText(String text) {
            try {
                String[] parts = text.replaceAll("[()\\[\\]{}<>]", " ").split(",");
                double[] numbers = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    numbers[i] = NumberCodecs.parseFloat(parts[i].trim());
                }
                return fromNumbers(text, numbers);
            } catch (RuntimeException e) {
                throw ValueException.malformed(accepts + " text '" + text + "'");
            }
        }

        <T> T cast(Object value, Class<T> type) {
            if (type.isInstance(value)) {
                return type.cast(value);
            }
            throw ValueException.unsupported();
        }
    }
}
