package io.pgloom.internal.types;

import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.codec.TypeCodec;
import io.pgloom.internal.io.WriteBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every codec a connection uses: the built-in ones in an array indexed by OID, the ones derived
 * from the catalogs for types learned at run time (arrays, enums, domains, composites, ranges,
 * extension types such as hstore and citext), and the user's own ({@code setTypeCodec}).
 *
 * <p>What the catalogs said about learned types is shared by every registry with the same
 * cache key (one server and database), so a pool introspects a type once; the codecs built
 * from it, and the user's codecs, belong to one registry (one connection).
 *
 * <p>Thread-safe: rows decode through their connection's registry from any thread, while the
 * connection's own thread may be learning types.
 */
public final class TypeRegistry {

    /** What each server taught, by cache key. */
    private static final ConcurrentMap<String, ConcurrentMap<Integer, TypeInfo>> SHARED = new ConcurrentHashMap<>();

    private final ConcurrentMap<Integer, TypeInfo> learned;
    /** Codecs built on this registry for learned types (and for built-ins a user codec reaches). */
    private final IntMap<Codec> derived = new IntMap<>();
    /** The user's codecs by OID; null while there are none, so the hot path skips them. */
    private volatile IntMap<Codec> custom;
    /** The anonymous record type: its values name their fields' types, decoded with this registry. */
    private final Codec anonymousRecord = CompositeCodec.anonymous(this);
    private final Codec anonymousRecordArray = new ArrayCodec(BuiltinTypes.RECORD, "record", anonymousRecord, ',');

    /** A registry with the built-in codecs; learned types are shared per server via a cache key. */
    public TypeRegistry(String cacheKey /* e.g. host:port/db, may be null */) {
        this.learned = cacheKey == null ? new ConcurrentHashMap<>() : SHARED.computeIfAbsent(cacheKey, k -> new ConcurrentHashMap<>());
    }

    /** 1 (binary) when a binary decoder exists for this type, else 0 (text). Called for each result column. */
    public int resultFormat(int typeOid) {
        return codecOrText(typeOid).binary() ? 1 : 0;
    }

    /** 1 or 0: the format a parameter of this inferred type is sent in. */
    public int parameterFormat(int typeOid) {
        return codecOrText(typeOid).binary() ? 1 : 0;
    }

    /** Decodes a non-null value of the given type and format from buf[offset, offset+length). Never sees NULL. */
    public Object decode(int typeOid, int format, byte[] buf, int offset, int length) {
        Codec codec = codecOrText(typeOid);
        try {
            if (format == 1) {
                return codec.decodeBinary(buf, offset, length);
            }
            return codec.decodeText(new String(buf, offset, length, StandardCharsets.UTF_8));
        } catch (ValueException e) {
            throw new PgException("cannot decode a " + typeName(typeOid) + " value: " + e.getMessage());
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PgException("cannot decode a " + typeName(typeOid) + " value: " + e, e);
        } catch (StackOverflowError e) {
            // A composite nested deeper than the stack allows (a hostile or broken server): the
            // decoder's own frames are gone, so nothing is left half-done; report it as bad data.
            throw new PgException("cannot decode a " + typeName(typeOid) + " value: nested too deeply", e);
        }
    }

    /**
     * Decodes and converts to {@code target} where safe and obvious (see {@link Conversions});
     * otherwise a PgException saying what it cannot do. A String target of a value that came
     * in text is the server's own text, untouched.
     */
    @SuppressWarnings("unchecked")
    public <T> T decode(int typeOid, int format, byte[] buf, int offset, int length, Class<T> target) {
        if (target == String.class && format == 0) {
            return (T) new String(buf, offset, length, StandardCharsets.UTF_8);
        }
        return convert(decode(typeOid, format, buf, offset, length), typeOid, target);
    }

    /** Converts an already decoded value (e.g. from Row.get(i)) to target with the same rules. */
    public <T> T convert(Object value, int typeOid, Class<T> target) {
        if (value == null) {
            return null;
        }
        return Conversions.convert(this, value, typeOid, target);
    }

    /**
     * Encodes a non-null parameter as typeOid in the given format into out, without a length
     * prefix. Errors name {@code $n}, the Java type and the PostgreSQL type, and come before
     * anything is sent (the caller truncates the buffer).
     */
    public void encode(int typeOid, int format, Object value, int paramIndex, WriteBuffer out) {
        Codec codec = codecOrText(typeOid);
        try {
            if (format == 1) {
                codec.encodeBinary(value, out);
            } else {
                out.writeUtf8(codec.encodeText(value));
            }
        } catch (ValueException e) {
            throw parameterError(typeOid, value, paramIndex, codec, e.getMessage(), null);
        } catch (PgException e) {
            throw e;
        } catch (RuntimeException e) {
            throw parameterError(typeOid, value, paramIndex, codec, e.toString(), e);
        }
    }

    /** The type's name (int4, text, my_enum), or the OID as text when unknown. */
    public String typeName(int typeOid) {
        if (BuiltinTypes.isBuiltin(typeOid)) {
            return BuiltinTypes.NAMES[typeOid];
        }
        TypeInfo info = learned.get(typeOid);
        return info != null ? info.name() : Integer.toUnsignedString(typeOid);
    }

    /** True when decode/encode need no introspection for this OID. */
    public boolean isKnown(int typeOid) {
        return BuiltinTypes.isBuiltin(typeOid) || learned.containsKey(typeOid);
    }

    /**
     * Runs introspection for the unknown OIDs among these (arrays, composites, enums, domains,
     * ranges, extension types like hstore/citext) through loader, once per OID per cache key.
     */
    public void learn(int[] oids, TypeLoader loader) {
        boolean any = false;
        for (int oid : oids) {
            any |= !isKnown(oid);
        }
        if (!any) {
            return;
        }
        for (TypeInfo info : Introspector.describe(oids, this::isKnown, loader)) {
            learned.put(info.oid(), info);
        }
    }

    /** Forgets what was learned for this cache key (after DDL changed a type), on every connection sharing it. */
    public void forgetLearnedTypes() {
        learned.clear();
        derived.clear();
    }

    /**
     * Uses {@code codec} for the type named {@code typeName} in {@code schema} (or, when schema
     * is null, the type that name resolves to on the search path), for this registry only: in
     * results and parameters, and inside arrays, composites and ranges of the type.
     *
     * @throws PgException when no such type exists
     */
    public void setTypeCodec(String typeName, String schema, TypeCodec<?> codec, TypeLoader loader) {
        int[] oids = resolve(typeName, schema, loader);
        // Copied, never changed in place: a snapshot (customCodecs) must stay as it was taken.
        IntMap<Codec> user = new IntMap<>();
        if (custom != null) {
            custom.forEach(user::put);
        }
        UserCodec adapter = new UserCodec(typeName, codec);
        user.put(oids[0], adapter);
        if (oids[1] != 0) {
            user.put(oids[1], new ArrayCodec(oids[0], typeName, adapter, ','));
        }
        custom = user;
        derived.clear(); // composites and ranges built earlier hold the old codec
    }

    /** Goes back to pgloom's own codec for the type; nothing happens when none was set. */
    public void resetTypeCodec(String typeName, String schema, TypeLoader loader) {
        int[] oids = resolve(typeName, schema, loader);
        IntMap<Codec> user = custom;
        if (user == null) {
            return;
        }
        IntMap<Codec> rest = new IntMap<>();
        user.forEach((oid, codec) -> {
            if (oid != oids[0] && oid != oids[1]) {
                rest.put(oid, codec);
            }
        });
        custom = rest.isEmpty() ? null : rest;
        derived.clear();
    }

    /** The codecs set on this registry, as an opaque snapshot for {@link #restoreCustomCodecs}. */
    public Object customCodecs() {
        return custom;
    }

    /** Goes back to the codecs of a {@link #customCodecs()} snapshot; true when they differed. */
    @SuppressWarnings("unchecked")
    public boolean restoreCustomCodecs(Object snapshot) {
        if (custom == snapshot) {
            return false;
        }
        custom = (IntMap<Codec>) snapshot;
        derived.clear();
        return true;
    }

    /** The type's OID and its array type's OID. */
    private int[] resolve(String typeName, String schema, TypeLoader loader) {
        List<Row> rows = schema == null
                ? loader.fetch("SELECT t.oid, t.typarray FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.to_regtype($1::text)", typeName)
                : loader.fetch("""
                        SELECT t.oid, t.typarray FROM pg_catalog.pg_type t
                        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                        WHERE t.typname = $1::text AND n.nspname = $2::text""", typeName, schema);
        if (rows.isEmpty()) {
            throw new PgException("no type named " + (schema == null ? "" : schema + ".") + typeName
                    + (schema == null ? " on the search path" : ""));
        }
        int oid = Introspector.oid(rows.get(0).get(0));
        learn(new int[] {oid}, loader);
        return new int[] {oid, Introspector.oid(rows.get(0).get(1))};
    }

    /** How the registry runs a catalog query on the connection; its SQL uses only built-in types in its params/results. */
    public interface TypeLoader {
        List<Row> fetch(String sql, Object... args);
    }

    // ---- lookups used by the codecs and conversions ----

    /** The codec for a type, or the text fallback when there is none. */
    Codec codecOrText(int oid) {
        Codec c = codec(oid);
        return c != null ? c : TextOnlyCodec.INSTANCE;
    }

    /** The codec for a type, or null; the hot path: one array read for a built-in. */
    Codec codec(int oid) {
        IntMap<Codec> user = custom;
        if (user != null) {
            Codec c = user.get(oid);
            if (c != null) {
                return c;
            }
        }
        if (oid >= 0 && oid < BuiltinTypes.LIMIT) {
            Codec c = BuiltinTypes.CODECS[oid];
            if (c != null) {
                return c;
            }
            if (oid == BuiltinTypes.RECORD) {
                return anonymousRecord;
            }
            if (oid == BuiltinTypes.RECORD_ARRAY) {
                return anonymousRecordArray;
            }
        }
        Codec c = derived.get(oid);
        if (c != null) {
            return c;
        }
        TypeInfo info = learned.get(oid);
        if (info == null) {
            return null;
        }
        c = derive(info, 0);
        derived.put(oid, c);
        return c;
    }

    /** The element type of an array type, or the type itself for anything else. */
    int elementOid(int arrayOid) {
        Codec c = codec(arrayOid);
        return c instanceof ArrayCodec a ? a.elementOid() : arrayOid;
    }

    /** A value's PostgreSQL text form. */
    String textOf(Object value, int typeOid) {
        return codecOrText(typeOid).encodeText(value);
    }

    private Codec derive(TypeInfo info, int depth) {
        if (depth > 20) {
            throw new PgException("type " + info.name() + " nests too deeply to decode");
        }
        if (info.isArray()) {
            TypeInfo element = learned.get(info.elementOid());
            char delimiter = element != null ? element.delimiter() : info.elementOid() == BuiltinTypes.BOX ? ';' : ',';
            return new ArrayCodec(info.elementOid(), typeName(info.elementOid()), codecOrText(info.elementOid()), delimiter);
        }
        return switch (info.kind()) {
            case 'e' -> new EnumCodec(info.name(), info.labels());
            case 'd' -> codecOrText(info.baseOid());
            case 'c' -> new CompositeCodec(info.name(), info.fieldNames(), info.fieldOids(), this);
            case 'r' -> new RangeCodec(info.name(), codecOrText(info.subtypeOid()));
            case 'm' -> codec(info.subtypeOid()) instanceof RangeCodec range
                    ? new MultirangeCodec(info.name(), range) : TextOnlyCodec.INSTANCE;
            case 'b' -> switch (info.name()) {
                case "citext" -> TextCodecs.TEXT;
                case "hstore" -> HstoreCodec.INSTANCE;
                default -> TextOnlyCodec.INSTANCE;
            };
            default -> TextOnlyCodec.INSTANCE;
        };
    }

    private PgException parameterError(int typeOid, Object value, int paramIndex, Codec codec, String reason, Throwable cause) {
        StringBuilder m = new StringBuilder("$").append(paramIndex + 1).append(": cannot send ");
        m.append(value.getClass().getName());
        if (value instanceof Number || value instanceof Boolean || value instanceof java.time.temporal.Temporal) {
            m.append(" (").append(value).append(')');
        }
        m.append(" as ").append(typeName(typeOid));
        if (reason != null) {
            m.append(": ").append(reason);
        } else {
            m.append(", which accepts ").append(codec.accepts());
            if (value instanceof CharSequence) {
                m.append("; strings are not converted: pass that Java type, or cast the parameter in SQL ($")
                        .append(paramIndex + 1).append("::text)");
            }
        }
        return new PgException(m.toString(), cause);
    }
}
