package io.pgloom.internal.types;

import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A record nested deeper than the stack allows is bad data, reported as such, never a StackOverflowError. */
class DeepNestingTest {

    private static final int RECORD = 2249;

    @Test
    void aRecordNestedAHundredThousandLevelsDeepIsAPgException() {
        int levels = 100_000;
        // Level k from the inside is a record with one field, the level below: 4 + 12k bytes in
        // all. Written outermost first; the innermost is a record with no fields.
        ByteBuffer out = ByteBuffer.allocate(4 + 12 * levels);
        for (int k = levels; k >= 1; k--) {
            out.putInt(1).putInt(RECORD).putInt(4 + 12 * (k - 1));
        }
        out.putInt(0);
        byte[] bytes = out.array();
        TypeRegistry registry = new TypeRegistry(null);
        assertThatThrownBy(() -> registry.decode(RECORD, 1, bytes, 0, bytes.length))
                .isInstanceOf(PgException.class);
    }
}
