package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Arrays of any element type and any number of dimensions, decoded to a {@code List} (nested
 * for several dimensions) with {@code null} for NULL elements.
 *
 * <p>Lower bounds: a List starts at index 0, so a decoded array drops its lower bounds
 * ({@code '[0:2]={1,2,3}'} reads as {@code [1, 2, 3]}), and arrays are sent with lower bound 1.
 * Select {@code array_lower(a, 1)} or the text form when the bounds matter.
 *
 * <p>Parameters: a {@code List} or a Java array (also primitive ones, {@code int[]},
 * {@code long[][]}, ...); nested lists or arrays make a multi-dimensional array, which must be
 * rectangular. For bytea elements, a {@code byte[]} is one element.
 *
 * <p>Binary form: Int32 number of dimensions, Int32 has-nulls flag, Int32 element OID, then per
 * dimension Int32 length and Int32 lower bound, then the elements, each an Int32 length (-1
 * for NULL) and its bytes.
 */
final class ArrayCodec implements Codec {

    private final int elementOid;
    private final String elementName;
    private final Codec element;
    private final char delimiter;

    ArrayCodec(int elementOid, String elementName, Codec element, char delimiter) {
        this.elementOid = elementOid;
        this.elementName = elementName;
        this.element = element;
        this.delimiter = delimiter;
    }

    Codec element() {
        return element;
    }

    int elementOid() {
        return elementOid;
    }

    public boolean binary() {
        return element.binary();
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        int end = offset + length;
        Bytes.require(offset, 12, end, "array");
        int ndim = Bytes.int32(buf, offset);
        if (ndim == 0) {
            return List.of();
        }
        if (ndim < 0 || ndim > 6) {
            throw ValueException.malformed("array: " + ndim + " dimensions");
        }
        Bytes.require(offset, 12 + 8 * ndim, end, "array");
        int[] dims = new int[ndim];
        long elements = 1;
        for (int d = 0; d < ndim; d++) {
            dims[d] = Bytes.int32(buf, offset + 12 + 8 * d);
            if (dims[d] < 0) {
                throw ValueException.malformed("array: dimension " + dims[d]);
            }
            elements = Math.min(elements * dims[d], Integer.MAX_VALUE); // both at most 2^31: no overflow
        }
        if (elements == 0) {
            return List.of(); // as array_recv: a zero-length dimension makes an empty array
        }
        // Each element takes at least its 4-byte length: a header claiming more elements than
        // that fails here, before anything is allocated for them.
        Bytes.require(offset + 12 + 8 * ndim, (int) Math.min(elements * 4, Integer.MAX_VALUE), end, "array");
        int[] at = {offset + 12 + 8 * ndim};
        return readDimension(buf, at, end, dims, 0);
    }

    private List<Object> readDimension(byte[] buf, int[] at, int end, int[] dims, int d) {
        Object[] items = new Object[dims[d]];
        for (int i = 0; i < items.length; i++) {
            if (d + 1 < dims.length) {
                items[i] = readDimension(buf, at, end, dims, d + 1);
                continue;
            }
            Bytes.require(at[0], 4, end, "array");
            int len = Bytes.int32(buf, at[0]);
            at[0] += 4;
            if (len >= 0) {
                Bytes.require(at[0], len, end, "array");
                items[i] = element.decodeBinary(buf, at[0], len);
                at[0] += len;
            } else if (len != -1) {
                throw ValueException.malformed("array: element length " + len);
            }
        }
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        List<Integer> dims = new ArrayList<>();
        List<Object> flat = new ArrayList<>();
        flatten(value, 0, dims, flat);
        if (flat.isEmpty()) {
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(elementOid);
            return;
        }
        out.writeInt(dims.size());
        out.writeInt(flat.contains(null) ? 1 : 0);
        out.writeInt(elementOid);
        for (int dim : dims) {
            out.writeInt(dim);
            out.writeInt(1);
        }
        for (int i = 0; i < flat.size(); i++) {
            Object item = flat.get(i);
            if (item == null) {
                out.writeInt(-1);
                continue;
            }
            int lengthAt = out.startValue();
            try {
                element.encodeBinary(item, out);
            } catch (ValueException e) {
                throw elementError(i, item, e);
            }
            out.endValue(lengthAt);
        }
    }

    public Object decodeText(String text) {
        return new ArrayText(text, delimiter, element).parse();
    }

    public String encodeText(Object value) {
        List<Integer> dims = new ArrayList<>();
        List<Object> flat = new ArrayList<>();
        flatten(value, 0, dims, flat);
        if (flat.isEmpty()) {
            return "{}";
        }
        StringBuilder b = new StringBuilder();
        int[] next = {0};
        appendText(b, dims, 0, flat, next);
        return b.toString();
    }

    private void appendText(StringBuilder b, List<Integer> dims, int d, List<Object> flat, int[] next) {
        b.append('{');
        for (int i = 0; i < dims.get(d); i++) {
            if (i > 0) {
                b.append(delimiter);
            }
            if (d + 1 < dims.size()) {
                appendText(b, dims, d + 1, flat, next);
                continue;
            }
            int index = next[0]++;
            Object item = flat.get(index);
            if (item == null) {
                b.append("NULL");
                continue;
            }
            String text;
            try {
                text = element.encodeText(item);
            } catch (ValueException e) {
                throw elementError(index, item, e);
            }
            ArrayText.appendQuoted(b, text, delimiter);
        }
        b.append('}');
    }

    public String accepts() {
        return "a List or Java array of " + elementName + " values (" + element.accepts() + ")";
    }

    private ValueException elementError(int index, Object item, ValueException e) {
        String reason = e.getMessage() != null ? e.getMessage()
                : "a " + item.getClass().getName() + " cannot be sent as " + elementName + ", which accepts " + element.accepts();
        return new ValueException("element " + index + ": " + reason);
    }

    /** Records each dimension's length (from the first elements) and the elements in order. */
    private void flatten(Object value, int depth, List<Integer> dims, List<Object> flat) {
        if (!isSubArray(value)) {
            throw ValueException.unsupported();
        }
        for (Object first = value; first != null && isSubArray(first); first = first(first)) {
            if (dims.size() == 6) {
                throw new ValueException("PostgreSQL arrays have at most 6 dimensions");
            }
            dims.add(length(first));
        }
        collect(value, 0, dims, flat);
    }

    private void collect(Object value, int depth, List<Integer> dims, List<Object> flat) {
        int length = length(value);
        if (length != dims.get(depth)) {
            throw new ValueException("arrays must be rectangular: sub-arrays of lengths " + dims.get(depth) + " and " + length);
        }
        for (int i = 0; i < length; i++) {
            Object item = value instanceof List<?> l ? l.get(i) : Array.get(value, i);
            boolean nested = item != null && isSubArray(item);
            if (depth + 1 < dims.size()) {
                if (!nested) {
                    throw new ValueException("arrays must be rectangular: " + (item == null ? "a null" : "an element")
                            + " where a sub-array was expected");
                }
                collect(item, depth + 1, dims, flat);
            } else if (nested) {
                throw new ValueException("arrays must be rectangular: a sub-array where an element was expected");
            } else {
                flat.add(item);
            }
        }
    }

    private static int length(Object listOrArray) {
        return listOrArray instanceof List<?> l ? l.size() : Array.getLength(listOrArray);
    }

    private static Object first(Object listOrArray) {
        if (length(listOrArray) == 0) {
            return null;
        }
        return listOrArray instanceof List<?> l ? l.get(0) : Array.get(listOrArray, 0);
    }

    private boolean isSubArray(Object value) {
        if (value instanceof List<?>) {
            return true;
        }
        if (!value.getClass().isArray()) {
            return false;
        }
        return !(value instanceof byte[]) || element != TextCodecs.BYTEA;
    }
}
