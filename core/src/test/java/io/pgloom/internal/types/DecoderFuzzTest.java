package io.pgloom.internal.types;

import io.pgloom.PgException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every built-in decoder, and the derived ones (composite, enum, hstore), fed seeded random
 * bytes and mutations of valid encodings through {@link TypeRegistry#decode}. Each call must
 * return a value or throw a {@link PgException} that is not a wrapped programming error (an
 * index out of bounds, a negative array size, a null pointer, a class cast), must give the same
 * outcome wherever the value sits in a larger buffer and whatever bytes surround it (so it
 * reads nothing outside its slice), must not allocate more than a few megabytes, and the
 * whole run for one codec must finish within a minute.
 *
 * <p>Reproducible: the seed is {@link #SEED} unless {@code -Dpgloom.fuzz.seed=...} gives
 * another, and each codec draws from its own generator, so one codec's failure replays alone.
 */
class DecoderFuzzTest {

    static final long SEED = Long.getLong("pgloom.fuzz.seed", 0x7067_6C6F_6F6DL);
    static final int RANDOM_INPUTS = 3_000;
    static final int MUTATIONS_PER_SEED = 200;
    static final int TEXT_INPUTS = 1_500;
    /**
     * Per decode: what a bounded value may cost, however its header lies. Legal numerics set
     * the bar: 1e131068 is ten bytes on the wire, and building its BigDecimal at its display
     * scale takes some 6-30 MB of intermediate BigIntegers. A header claiming 2^28 elements
     * would cost gigabytes.
     */
    static final long ALLOCATION_LIMIT = 64L << 20;
    static final int[] INTERESTING = {0, 1, -1, 2, 7, 8, 16, 0x7F, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x0800_0000,
            0x1000_0000, 0x2000_0000, 0x4000_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE};

    private static final Map<Integer, Integer> RANGE_SUBTYPES = Map.of(
            BuiltinTypes.INT4RANGE, BuiltinTypes.INT4, BuiltinTypes.INT8RANGE, BuiltinTypes.INT8,
            BuiltinTypes.NUMRANGE, BuiltinTypes.NUMERIC, BuiltinTypes.DATERANGE, BuiltinTypes.DATE,
            BuiltinTypes.TSRANGE, BuiltinTypes.TIMESTAMP, BuiltinTypes.TSTZRANGE, BuiltinTypes.TIMESTAMPTZ);
    private static final Map<Integer, Integer> MULTIRANGE_RANGES = Map.of(
            BuiltinTypes.INT4MULTIRANGE, BuiltinTypes.INT4RANGE, BuiltinTypes.INT8MULTIRANGE, BuiltinTypes.INT8RANGE,
            BuiltinTypes.NUMMULTIRANGE, BuiltinTypes.NUMRANGE, BuiltinTypes.DATEMULTIRANGE, BuiltinTypes.DATERANGE,
            BuiltinTypes.TSMULTIRANGE, BuiltinTypes.TSRANGE, BuiltinTypes.TSTZMULTIRANGE, BuiltinTypes.TSTZRANGE);

    /** Decode calls and the most one call allocated, per codec, printed when the class is done. */
    private static final Map<String, long[]> STATS = new ConcurrentHashMap<>();
    private static final AtomicLong CALLS = new AtomicLong();

    private final TypeRegistry registry = new TypeRegistry(null);
    private final Map<Integer, List<byte[]>> vectors = new TreeMap<>();
    private final Map<Integer, List<String>> texts = new TreeMap<>();

    DecoderFuzzTest() {
        for (GoldenVectorTest.Vector v : GoldenVectorTest.vectors()) {
            vectors.computeIfAbsent(v.oid(), k -> new ArrayList<>()).add(v.send());
            texts.computeIfAbsent(v.oid(), k -> new ArrayList<>()).add(v.text());
        }
    }

    interface Decoder {
        Object decode(byte[] buf, int offset, int length);
    }

    @TestFactory
    List<DynamicTest> binaryDecoders() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int oid : BuiltinTypeOids.all()) {
            if (registry.resultFormat(oid) != 1) {
                continue;
            }
            String name = registry.typeName(oid);
            int type = oid;
            tests.add(DynamicTest.dynamicTest(name, () -> fuzzBinary(name, type,
                    (b, o, l) -> registry.decode(type, 1, b, o, l), seeds(type, 0))));
        }
        assertThat(tests).hasSizeGreaterThan(90);
        return tests;
    }

    @TestFactory
    List<DynamicTest> derivedBinaryDecoders() {
        Codec pair = new CompositeCodec("pair", List.of("a", "b"), new int[] {BuiltinTypes.INT4, BuiltinTypes.TEXT}, registry);
        Codec mood = new EnumCodec("mood", List.of("sad", "ok", "happy"));
        Map<String, Codec> codecs = new TreeMap<>(Map.of(
                "pair", pair,
                "_pair", new ArrayCodec(0, "pair", pair, ','),
                "mood", mood,
                "hstore", HstoreCodec.INSTANCE,
                "_hstore", new ArrayCodec(0, "hstore", HstoreCodec.INSTANCE, ',')));
        List<byte[]> pairSeeds = List.of(hex("00000002000000170000000400000007000000190000000378797a"),
                hex("0000000200000017ffffffff00000019ffffffff"));
        List<byte[]> hstoreSeeds = List.of(hex("00000002000000016100000001620000000163ffffffff"), hex("00000000"));
        Map<String, List<byte[]>> seeds = Map.of(
                "pair", pairSeeds,
                "_pair", List.of(array1(0, pairSeeds)),
                "mood", List.of("happy".getBytes(StandardCharsets.UTF_8)),
                "hstore", hstoreSeeds,
                "_hstore", List.of(array1(0, hstoreSeeds)));
        return codecs.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> fuzzBinary(e.getKey(),
                e.getKey().hashCode(), direct(e.getValue()), seeds.get(e.getKey())))).toList();
    }

    @TestFactory
    List<DynamicTest> textDecoders() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int oid : BuiltinTypeOids.all()) {
            String name = registry.typeName(oid);
            int type = oid;
            tests.add(DynamicTest.dynamicTest(name, () -> fuzzText(name, type, (b, o, l) -> registry.decode(type, 0, b, o, l))));
        }
        return tests;
    }

    // ---- what the fuzzing found: each input failed before its fix ----

    @Test
    void anArrayHeaderClaimingMoreElementsThanItsBytesHoldFailsBeforeAllocating() {
        // 2^31-1 int4 elements in 20 bytes: new Object[2^31-1] threw OutOfMemoryError
        refused(BuiltinTypeOids.INT4_ARRAY, "0000000100000000000000177fffffff00000001");
        // 2^28 elements: a 1 GiB array, then an error at the first element
        refused(BuiltinTypeOids.INT4_ARRAY, "00000001000000000000001710000000000000010000000400000001");
        // 65536 x 65536: the product overflows an int
        refused(BuiltinTypeOids.INT4_ARRAY, "000000020000000000000017000100000000000100010000000000010000000400000001");
    }

    @Test
    void anArrayWithAZeroLengthDimensionIsEmptyAsTheServerHasIt() {
        // 2^31-1 x 0: looped 2^31 times making empty sub-lists
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(
                registry.decode(BuiltinTypeOids.INT4_ARRAY, 1, hex("0000000200000000000000177fffffff0000000100000000" + "00000001"), 0, 28))
                .isEqualTo(List.of()));
    }

    @Test
    void aRecordClaimingMoreFieldsThanItsBytesHoldFailsBeforeAllocating() {
        refused(BuiltinTypes.RECORD, "7fffffff"); // new Object[2^31-1]: OutOfMemoryError
        refused(BuiltinTypes.RECORD, "100000000000001700000004"); // 2^28 fields: 3 GiB before the first
    }

    @Test
    void aPathOrPolygonWhosePointCountOverflowsTheSizeCheckIsRefused() {
        // 16 * 2^28 is 0 in int arithmetic, so these passed the length check, allocated
        // 2^28 points and read past the value (an ArrayIndexOutOfBoundsException, or the next column)
        refused(BuiltinTypes.PATH, "0110000000");
        refused(BuiltinTypes.PATH, "00400000033ff000000000000040000000000000004008000000000000401000000000000040140000000000004018000010000000");
        refused(BuiltinTypes.POLYGON, "10000000");
        refused(BuiltinTypes.POLYGON, "10000003000000000000000000000000000000003ff0000000000000000000000000000000000000000000003ff0000000000000");
    }

    @Test
    void aNumericDigitOrDisplayScaleThatNumericRecvRefusesIsRefused() {
        refused(BuiltinTypes.NUMERIC, "00010000000000002710"); // digit 10000: was read as 10000
        refused(BuiltinTypes.NUMERIC, "0001000000000000ffff"); // digit -1: was read as -1
        // display scale 60673 (at most 16383): setScale built a 60673-digit number for each value
        refused(BuiltinTypes.NUMERIC, "000100000000ed010001");
        assertThat(registry.decode(BuiltinTypes.NUMERIC, 1, hex("0001000000003fff0001"), 0, 10))
                .isEqualTo(java.math.BigDecimal.ONE.setScale(0x3FFF));
    }

    /** The input is refused with a codec's own reason (no wrapped exception), quickly, wherever it sits. */
    private void refused(int oid, String hex) {
        byte[] value = hex(hex);
        byte[] embedded = concat(hex("ffffffff"), value, hex("7fffffff"));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (byte[] buf : List.of(value, embedded)) {
                int off = buf == value ? 0 : 4;
                assertThatThrownBy(() -> registry.decode(oid, 1, buf, off, value.length))
                        .as(registry.typeName(oid) + " " + hex)
                        .isInstanceOf(PgException.class)
                        .satisfies(e -> assertThat(e.getCause()).as(e.getMessage()).isNull());
            }
        });
    }

    @AfterAll
    static void report() {
        long total = 0;
        long most = 0;
        String heaviest = "";
        for (Map.Entry<String, long[]> e : new TreeMap<>(STATS).entrySet()) {
            total += e.getValue()[0];
            if (e.getValue()[1] > most) {
                most = e.getValue()[1];
                heaviest = e.getKey();
            }
        }
        System.out.printf("DecoderFuzzTest: seed %#x, %d decoders, %d decode calls; the most one call allocated: %s%n",
                SEED, STATS.size(), total, ALLOCATED_BYTES == null ? "not measured on this JVM" : most + " bytes (" + heaviest + ")");
    }

    // ---- the runs ----

    private void fuzzBinary(String name, int salt, Decoder decoder, List<byte[]> seeds) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(SEED ^ (salt * 0x9E37_79B9_7F4A_7C15L));
            Checker check = new Checker("binary " + name, decoder, random);
            for (int i = 0; i < RANDOM_INPUTS; i++) {
                int length = i % 20 == 19 ? 65 + random.nextInt(1000) : random.nextInt(65);
                byte[] b = new byte[length];
                random.nextBytes(b);
                check.one(b);
            }
            for (byte[] seed : seeds) {
                check.one(seed);
                for (int cut = 0; cut < seed.length; cut++) {
                    check.one(Arrays.copyOf(seed, cut)); // every truncation
                }
                for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
                    check.one(mutate(seed, random));
                }
            }
            // Headers that claim huge or negative counts, over zeros and over each seed.
            List<byte[]> bases = new ArrayList<>(seeds);
            for (int length : new int[] {4, 5, 8, 12, 16, 20, 24}) {
                bases.add(new byte[length]);
            }
            for (byte[] base : bases) {
                for (int at = 0; at + 4 <= Math.min(base.length, 48); at++) {
                    for (int v : INTERESTING) {
                        byte[] b = base.clone();
                        ByteBuffer.wrap(b).putInt(at, v);
                        check.one(b);
                    }
                }
            }
            check.done();
        });
    }

    private void fuzzText(String name, int salt, Decoder decoder) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(SEED ^ (salt * 0xC2B2_AE3D_27D4_EB4FL) ^ 1);
            Checker check = new Checker("text " + name, decoder, random);
            String alphabet = "{}()[]<>\",\\;:.-+eE0123456789 abcdefxtfNULinfyAPMBCZ@/_'=>\t\u00e9\u20ac\ud83d\ude00";
            for (int i = 0; i < TEXT_INPUTS; i++) {
                int length = random.nextInt(65);
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < length; j++) {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                check.one(b.toString().getBytes(StandardCharsets.UTF_8));
            }
            List<String> valid = new ArrayList<>(texts.getOrDefault(salt, List.of()));
            int element = registry.elementOid(salt);
            if (element != salt) {
                for (String t : texts.getOrDefault(element, List.of())) {
                    valid.add("{" + quote(t) + ",NULL," + quote(t) + "}");
                    valid.add("{{" + quote(t) + "},{" + quote(t) + "}}");
                }
            }
            for (String t : valid) {
                check.one(t.getBytes(StandardCharsets.UTF_8));
                for (int cut = 0; cut < t.length(); cut++) {
                    check.one(t.substring(0, cut).getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
                    StringBuilder b = new StringBuilder(t);
                    for (int n = 1 + random.nextInt(3); n > 0; n--) {
                        int at = b.isEmpty() ? 0 : random.nextInt(b.length());
                        char c = alphabet.charAt(random.nextInt(alphabet.length()));
                        switch (random.nextInt(3)) {
                            case 0 -> b.insert(at, c);
                            case 1 -> {
                                if (!b.isEmpty()) {
                                    b.deleteCharAt(at);
                                }
                            }
                            default -> {
                                if (!b.isEmpty()) {
                                    b.setCharAt(at, c);
                                }
                            }
                        }
                    }
                    check.one(b.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            check.done();
        });
    }

    /**
     * HotSpot's count of the bytes this thread has allocated, or null where the JVM has none.
     * Reached by reflection: the core module does not read java.management, and needs not.
     */
    static final MethodHandle ALLOCATED_BYTES = allocationCounter();

    private static MethodHandle allocationCounter() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
            if (!sun.isInstance(bean) || !(boolean) sun.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            return MethodHandles.publicLookup().findVirtual(sun, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    static long allocatedBytes() {
        try {
            return ALLOCATED_BYTES == null ? 0 : (long) ALLOCATED_BYTES.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** Decodes each input three ways, at offset 0 of its own array and in two different surroundings. */
    private static final class Checker {
        private final String label;
        private final Decoder decoder;
        private final Random random;
        private final List<String> failures = new ArrayList<>();
        private long calls;
        private long mostAllocated;

        Checker(String label, Decoder decoder, Random random) {
            this.label = label;
            this.decoder = decoder;
            this.random = random;
        }

        void one(byte[] value) {
            int len = value.length;
            String alone = run(value.clone(), 0, len, value);
            int offA = 1 + random.nextInt(16);
            int offB = 1 + random.nextInt(16);
            int tail = 1 + random.nextInt(16);
            byte[] a = new byte[offA + len + tail];
            random.nextBytes(a);
            byte[] b = new byte[offB + len + tail];
            for (int i = 0; i < b.length; i++) { // around the value, every byte differs from a's
                int j = i - offB + offA;
                b[i] = (byte) ~(j >= 0 && j < a.length ? a[j] : 0);
            }
            System.arraycopy(value, 0, a, offA, len);
            System.arraycopy(value, 0, b, offB, len);
            String inA = run(a, offA, len, value);
            String inB = run(b, offB, len, value);
            if (!alone.equals(inA) || !alone.equals(inB)) {
                fail("depends on bytes outside its slice: alone " + alone + "; embedded " + inA + "; embedded " + inB, value);
            }
        }

        private String run(byte[] buf, int off, int len, byte[] value) {
            calls++;
            long before = allocatedBytes();
            long after = -1;
            String outcome;
            try {
                Object decoded = decoder.decode(buf, off, len);
                after = allocatedBytes();
                outcome = "value " + describe(decoded);
            } catch (PgException e) {
                after = allocatedBytes();
                Throwable cause = e.getCause();
                if (cause instanceof IndexOutOfBoundsException || cause instanceof NegativeArraySizeException
                        || cause instanceof NullPointerException || cause instanceof ClassCastException
                        || cause instanceof ArrayStoreException || cause instanceof IllegalStateException) {
                    fail("a programming error: " + cause, value);
                }
                outcome = "error " + e.getMessage();
            } catch (Throwable t) {
                fail("threw " + t, value);
                outcome = "threw " + t.getClass().getName();
            }
            if (ALLOCATED_BYTES != null && after >= 0) {
                long allocated = after - before;
                mostAllocated = Math.max(mostAllocated, allocated);
                if (allocated > ALLOCATION_LIMIT) {
                    fail("allocated " + allocated + " bytes", value);
                }
            }
            return outcome;
        }

        private void fail(String what, byte[] input) {
            if (failures.size() < 10) {
                failures.add(what + " on " + HexFormat.of().formatHex(input) + " \"" + printable(input) + "\"");
            }
        }

        void done() {
            STATS.put(label, new long[] {calls, mostAllocated});
            CALLS.addAndGet(calls);
            assertThat(failures).as(label + " (seed %#x)", SEED).isEmpty();
        }
    }

    // ---- inputs ----

    /** Valid encodings for a type: the golden vectors, and arrays, ranges and records built from them. */
    private List<byte[]> seeds(int oid, int depth) {
        List<byte[]> out = new ArrayList<>(vectors.getOrDefault(oid, List.of()));
        if (depth > 1) {
            return out;
        }
        Codec codec = registry.codecOrText(oid);
        if (codec instanceof ArrayCodec a) {
            List<byte[]> elements = seeds(a.elementOid(), depth + 1);
            out.add(hex("00000000000000000000" + String.format("%04x", a.elementOid() & 0xFFFF)));
            if (!elements.isEmpty()) {
                out.add(array1(a.elementOid(), elements.subList(0, Math.min(3, elements.size()))));
            }
        }
        Integer subtype = RANGE_SUBTYPES.get(oid);
        if (subtype != null) {
            for (byte[] bound : seeds(subtype, depth + 1)) {
                out.add(concat(new byte[] {0x02}, lengthPrefixed(bound), lengthPrefixed(bound)));
                out.add(concat(new byte[] {0x08}, lengthPrefixed(bound)));
            }
            out.add(new byte[] {0x01});
            out.add(new byte[] {0x18});
        }
        Integer range = MULTIRANGE_RANGES.get(oid);
        if (range != null) {
            List<byte[]> ranges = seeds(range, depth + 1);
            for (int i = 0; i + 1 < ranges.size(); i += 2) {
                out.add(concat(int32(2), lengthPrefixed(ranges.get(i)), lengthPrefixed(ranges.get(i + 1))));
            }
        }
        if (oid == BuiltinTypes.RECORD) {
            List<Map.Entry<Integer, byte[]>> all = new ArrayList<>();
            vectors.forEach((type, list) -> list.forEach(v -> all.add(Map.entry(type, v))));
            Random random = new Random(SEED);
            for (int i = 0; i < 40; i++) {
                int n = random.nextInt(4);
                byte[] record = int32(n + 1);
                for (int f = 0; f < n; f++) {
                    Map.Entry<Integer, byte[]> field = all.get(random.nextInt(all.size()));
                    record = concat(record, int32(field.getKey()), lengthPrefixed(field.getValue()));
                }
                out.add(concat(record, int32(BuiltinTypes.INT4), int32(-1)));
            }
        }
        return out;
    }

    /** A one-dimensional array of the given elements and one NULL. */
    static byte[] array1(int elementOid, List<byte[]> elements) {
        byte[] b = concat(int32(1), int32(1), int32(elementOid), int32(elements.size() + 1), int32(1));
        for (byte[] e : elements) {
            b = concat(b, lengthPrefixed(e));
        }
        return concat(b, int32(-1));
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            switch (random.nextInt(5)) {
                case 0 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length)); // truncated
                case 1 -> { // extended
                    byte[] more = new byte[1 + random.nextInt(8)];
                    random.nextBytes(more);
                    b = concat(b, more);
                }
                case 2 -> { // bits flipped
                    if (b.length > 0) {
                        b = b.clone();
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 3 -> { // an int32 replaced by one that often breaks size arithmetic
                    if (b.length >= 4) {
                        b = b.clone();
                        ByteBuffer.wrap(b).putInt(random.nextInt(b.length - 3), INTERESTING[random.nextInt(INTERESTING.length)]);
                    }
                }
                default -> { // a byte replaced
                    if (b.length > 0) {
                        b = b.clone();
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return b;
    }

    private static Decoder direct(Codec codec) {
        return (b, o, l) -> {
            try {
                return codec.decodeBinary(b, o, l);
            } catch (ValueException e) {
                throw new PgException(e.getMessage());
            } catch (PgException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new PgException(e.toString(), e);
            }
        };
    }

    /** A decoded value as text that differs whenever the values differ (byte arrays by content). */
    static String describe(Object v) {
        if (v instanceof byte[] b) {
            return "bytes " + HexFormat.of().formatHex(b);
        }
        if (v instanceof List<?> l) {
            StringBuilder s = new StringBuilder("[");
            for (Object item : l) {
                s.append(describe(item)).append(", ");
            }
            return s.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder s = new StringBuilder("{");
            m.forEach((k, x) -> s.append(describe(k)).append('=').append(describe(x)).append(", "));
            return s.append('}').toString();
        }
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    private static String quote(String t) {
        return "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String printable(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] lengthPrefixed(byte[] b) {
        return concat(int32(b.length), b);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
