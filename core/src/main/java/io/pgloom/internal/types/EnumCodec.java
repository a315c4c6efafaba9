package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A user-defined enum: its label as a {@code String}, in both formats. Parameters are Strings
 * or Java enum constants (sent by {@code name()}, or by the label equal to it ignoring case).
 */
final class EnumCodec implements Codec {

    private final String name;
    private final Set<String> labels;
    private final List<String> ordered;

    EnumCodec(String name, List<String> labels) {
        this.name = name;
        this.ordered = List.copyOf(labels);
        this.labels = Set.copyOf(labels);
    }

    public boolean binary() {
        return true;
    }

    public Object decodeBinary(byte[] buf, int offset, int length) {
        return new String(buf, offset, length, StandardCharsets.UTF_8);
    }

    public void encodeBinary(Object value, WriteBuffer out) {
        out.writeUtf8(label(value));
    }

    public Object decodeText(String text) {
        return text;
    }

    public String encodeText(Object value) {
        return label(value);
    }

    public String accepts() {
        return "String or a Java enum constant, one of " + ordered;
    }

    /**
     * A String goes as it is; the server checks it (the labels cached here may be older than an
     * ALTER TYPE ... ADD VALUE). A Java constant goes by name, or by the label that matches its
     * name ignoring case, so that {@code Mood.HAPPY} fits a label {@code happy}.
     */
    private String label(Object value) {
        if (!(value instanceof Enum<?> e)) {
            return TextCodecs.string(value);
        }
        if (labels.contains(e.name())) {
            return e.name();
        }
        for (String label : ordered) {
            if (label.equalsIgnoreCase(e.name())) {
                return label;
            }
        }
        return e.name();
    }
}
