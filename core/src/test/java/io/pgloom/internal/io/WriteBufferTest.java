package io.pgloom.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteBufferTest {

    @Test
    void endMessagePatchesTheLengthToCoverItselfAndTheBody() {
        WriteBuffer out = new WriteBuffer(4);
        int at = out.startMessage((byte) 'Q');
        out.writeCString("SELECT 1");
        out.endMessage(at);

        byte[] expected = ByteBuffer.allocate(14).put((byte) 'Q').putInt(13)
                .put("SELECT 1\0".getBytes(StandardCharsets.US_ASCII)).array();
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @Test
    void severalMessagesInOneBufferEachGetTheirOwnLength() {
        WriteBuffer out = new WriteBuffer(16);
        int first = out.startMessage((byte) 'P');
        out.writeCString("");
        out.writeCString("SELECT $1");
        out.writeShort(0);
        out.endMessage(first);
        int second = out.startMessage((byte) 'S');
        out.endMessage(second);

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        assertThat(b.get()).isEqualTo((byte) 'P');
        int length = b.getInt();
        assertThat(length).isEqualTo(4 + 1 + 10 + 2);
        b.position(1 + length);
        assertThat(b.get()).isEqualTo((byte) 'S');
        assertThat(b.getInt()).isEqualTo(4);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void anUntaggedMessageStartsWithItsLength() {
        WriteBuffer out = new WriteBuffer(8);
        int at = out.startUntaggedMessage();
        out.writeInt(80877103);
        out.endMessage(at);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F});
    }

    @Test
    void endValuePatchesALengthThatDoesNotCountItself() {
        WriteBuffer out = new WriteBuffer(2);
        int at = out.startValue();
        out.writeBytes(new byte[]{9, 8, 7});
        out.endValue(at);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{0, 0, 0, 3, 9, 8, 7});
    }

    @Test
    void truncateDropsWhatCameAfterTheMark() {
        WriteBuffer out = new WriteBuffer(8);
        out.writeInt(1);
        int mark = out.position();
        out.writeUtf8("dropped");
        out.truncate(mark);
        out.writeByte(2);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{0, 0, 0, 1, 2});
    }

    @Test
    void numbersAreBigEndianAsJavaWritesThem() {
        WriteBuffer out = new WriteBuffer(1);
        out.writeByte(0x1FF);
        out.writeShort(-2);
        out.writeInt(0xCAFEBABE);
        out.writeLong(Long.MIN_VALUE + 42);
        out.writeFloat(-1.5f);
        out.writeDouble(Math.PI);

        ByteBuffer expected = ByteBuffer.allocate(27).put((byte) 0xFF).putShort((short) -2).putInt(0xCAFEBABE)
                .putLong(Long.MIN_VALUE + 42).putFloat(-1.5f).putDouble(Math.PI);
        assertThat(out.toByteArray()).isEqualTo(expected.array());
    }

    @Test
    void putIntAndPutShortOverwriteInPlace() {
        WriteBuffer out = new WriteBuffer(8);
        out.writeLong(0);
        out.putInt(1, 0x01020304);
        out.putShort(6, 0xABCD);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{0, 1, 2, 3, 4, 0, (byte) 0xAB, (byte) 0xCD});
        assertThat(out.position()).isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "SELECT 1", "é", "naïve café", "日本語のテキスト", "𝄞", "😀 grinning",
            "mixed ascii then € and then 𝄞 and ascii again", "\u007F\u0080\u07FF\u0800\uFFFF",
            "\u0000 nul inside"})
    void writeUtf8EqualsStringGetBytes(String s) {
        for (int capacity : new int[]{0, 1, 3, 1024}) {
            WriteBuffer out = new WriteBuffer(capacity);
            out.writeUtf8(s);
            assertThat(out.toByteArray()).as("capacity %d", capacity).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ascii ", "é", "€", "𝄞"})
    void writeUtf8OfATextOverAMebicharacterEqualsStringGetBytes(String unit) {
        // Long texts take the measure-first path; the bytes must not differ from the short path's.
        String s = "prefix " + unit.repeat((1 << 20) / unit.length() + 7) + " suffix";
        WriteBuffer out = new WriteBuffer(16);
        out.writeByte('X');
        out.writeUtf8(s);
        byte[] expected = ("X" + s).getBytes(StandardCharsets.UTF_8);
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lone \uD800 surrogate", "lone low \uDC00", "é then high at the end \uD800",
            "\uDC00\uD800 reversed pair"})
    void writeUtf8RefusesAnUnpairedSurrogateInsteadOfSendingAQuestionMark(String s) {
        WriteBuffer out = new WriteBuffer(4);
        assertThatThrownBy(() -> out.writeUtf8(s)).isInstanceOf(WriteBuffer.UnpairedSurrogateException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    @Test
    void writeUtf8AfterEarlierBytesAppends() {
        WriteBuffer out = new WriteBuffer(4);
        out.writeInt(-1);
        out.writeUtf8("x€y");

        byte[] tail = "x€y".getBytes(StandardCharsets.UTF_8);
        ByteBuffer expected = ByteBuffer.allocate(4 + tail.length).putInt(-1).put(tail);
        assertThat(out.toByteArray()).isEqualTo(expected.array());
    }

    @Test
    void writeUtf8OfLongStringsGrowsTheBuffer() {
        String ascii = "abcdefghij".repeat(20_000);
        String unicode = "ж𝄞é".repeat(20_000);
        for (String s : new String[]{ascii, unicode, ascii + unicode, unicode + ascii}) {
            WriteBuffer out = new WriteBuffer(16);
            out.writeUtf8(s);
            assertThat(out.toByteArray()).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void writeCStringAppendsATerminator() {
        WriteBuffer out = new WriteBuffer(0);
        out.writeCString("ü");

        assertThat(out.toByteArray()).isEqualTo(new byte[]{(byte) 0xC3, (byte) 0xBC, 0});
    }

    @Test
    void resetShrinksABufferGrownPast64KiB() {
        WriteBuffer out = new WriteBuffer(1024);
        out.writeBytes(new byte[200 * 1024]);
        assertThat(out.flip().capacity()).isGreaterThanOrEqualTo(200 * 1024);

        out.reset();

        assertThat(out.position()).isZero();
        assertThat(out.flip().capacity()).isEqualTo(64 * 1024);
        assertThat(out.flip().remaining()).isZero();
        out.writeByte(5);
        assertThat(out.toByteArray()).isEqualTo(new byte[]{5});
    }

    @Test
    void resetKeepsABufferThatStayedWithin64KiB() {
        WriteBuffer out = new WriteBuffer(1024);
        out.writeBytes(new byte[40 * 1024]);
        int grown = out.flip().capacity();

        out.reset();

        assertThat(out.flip().capacity()).isEqualTo(grown);
        assertThat(out.position()).isZero();
    }

    @Test
    void flipViewsExactlyWhatWasWritten() {
        WriteBuffer out = new WriteBuffer(64);
        out.writeInt(7);
        ByteBuffer flipped = out.flip();

        assertThat(flipped.position()).isZero();
        assertThat(flipped.remaining()).isEqualTo(4);
        assertThat(flipped.getInt()).isEqualTo(7);
    }

    // ---- the 1 GiB limit ----
    //
    // WriteBuffer offers no way to reach a large position without writing the bytes, except
    // truncate(), which does not check that its mark lies behind the position. The cheap tests
    // below use that to move the position without allocating; the last test checks the real path
    // when the heap allows.

    @Test
    void aMessageOfExactlyTheLimitIsAccepted() {
        WriteBuffer out = new WriteBuffer(64);
        int at = out.startMessage((byte) 'd');
        out.truncate(at + WriteBuffer.MAX_MESSAGE_LENGTH);

        out.endMessage(at);

        out.truncate(at + 4);
        assertThat(ByteBuffer.wrap(out.toByteArray(), at, 4).getInt()).isEqualTo(WriteBuffer.MAX_MESSAGE_LENGTH);
    }

    @Test
    void aMessageOneByteOverTheLimitIsRefused() {
        WriteBuffer out = new WriteBuffer(64);
        int at = out.startMessage((byte) 'd');
        out.truncate(at + WriteBuffer.MAX_MESSAGE_LENGTH + 1);

        assertThatThrownBy(() -> out.endMessage(at))
                .isInstanceOfSatisfying(WriteBuffer.MessageTooLargeException.class,
                        e -> assertThat(e.length()).isEqualTo(WriteBuffer.MAX_MESSAGE_LENGTH + 1L))
                .hasMessageContaining(String.valueOf(WriteBuffer.MAX_MESSAGE_LENGTH));
    }

    @Test
    void growingPastWhatAJavaArrayHoldsIsRefusedNotAnOverflow() {
        WriteBuffer out = new WriteBuffer(64);
        out.truncate(Integer.MAX_VALUE - 16);

        assertThatThrownBy(() -> out.writeByte(1)).isInstanceOf(WriteBuffer.MessageTooLargeException.class);
        assertThatThrownBy(() -> out.writeBytes(new byte[64])).isInstanceOf(WriteBuffer.MessageTooLargeException.class);
        assertThatThrownBy(() -> out.writeUtf8("x".repeat(32))).isInstanceOf(WriteBuffer.MessageTooLargeException.class);
    }

    @Test
    void aRealMessageOverOneGibibyteIsRefused() {
        // Needs the payload and a grown buffer of ~1 GiB each.
        assumeTrue(Runtime.getRuntime().maxMemory() >= 3L * 1024 * 1024 * 1024, "needs a heap of 3 GiB or more");
        WriteBuffer out = new WriteBuffer(64);
        int at = out.startMessage((byte) 'd');
        out.writeBytes(new byte[WriteBuffer.MAX_MESSAGE_LENGTH - 3]); // length field + body = limit + 1

        assertThatThrownBy(() -> out.endMessage(at)).isInstanceOf(WriteBuffer.MessageTooLargeException.class);
        out.reset();
        assertThat(out.flip().capacity()).isEqualTo(64 * 1024);
    }
}
