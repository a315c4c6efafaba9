package io.pgloom.internal.auth;

import io.pgloom.PgException;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013): the stringprep profile that SCRAM applies to a password before hashing
 * it, so that visually equal passwords typed on different keyboards hash the same.
 *
 * <p>The steps, in RFC 3454's order: map non-ASCII spaces to SPACE and drop the characters
 * "commonly mapped to nothing"; normalize to NFKC; refuse prohibited output and code points
 * unassigned in Unicode 3.2 (as PostgreSQL does, though RFC 4013 leaves that to "stored
 * strings"); check the bidirectional-text rule. The tables come from Unicode 3.2
 * ({@link SaslPrepTables}); NFKC uses the JDK's newer Unicode, which gives the same result for
 * every character Unicode 3.2 assigned.
 *
 * <p>Stateless and thread-safe.
 */
public final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * Prepares {@code input} by SASLprep.
     *
     * @throws PgException naming the first character that SASLprep refuses, or saying why the
     *         result is empty or breaks the bidirectional rule
     */
    public static String prepare(String input) {
        StringBuilder mapped = new StringBuilder(input.length());
        input.codePoints().forEach(cp -> {
            if (SaslPrepTables.contains(SaslPrepTables.NON_ASCII_SPACE, cp)) {
                mapped.append(' ');
            } else if (!SaslPrepTables.contains(SaslPrepTables.MAPPED_TO_NOTHING, cp)) {
                mapped.appendCodePoint(cp);
            }
        });
        if (mapped.isEmpty()) {
            throw new PgException("SASLprep: the string is empty after mapping");
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);

        boolean hasRandAL = false;
        boolean hasL = false;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            if (SaslPrepTables.contains(SaslPrepTables.PROHIBITED, cp)) {
                throw new PgException("SASLprep: prohibited character " + describe(cp) + " at index " + i);
            }
            if (SaslPrepTables.contains(SaslPrepTables.UNASSIGNED, cp)) {
                throw new PgException("SASLprep: character " + describe(cp) + " at index " + i
                        + " is unassigned in Unicode 3.2");
            }
            hasRandAL |= SaslPrepTables.contains(SaslPrepTables.RAND_AL_CAT, cp);
            hasL |= SaslPrepTables.contains(SaslPrepTables.L_CAT, cp);
            i += Character.charCount(cp);
        }
        if (hasRandAL) {
            // RFC 3454 section 6: right-to-left text must not mix in left-to-right characters
            // and must start and end with a right-to-left character.
            int first = normalized.codePointAt(0);
            int last = normalized.codePointBefore(normalized.length());
            if (hasL || !SaslPrepTables.contains(SaslPrepTables.RAND_AL_CAT, first)
                    || !SaslPrepTables.contains(SaslPrepTables.RAND_AL_CAT, last)) {
                throw new PgException("SASLprep: right-to-left text must not contain left-to-right characters"
                        + " and must start and end with a right-to-left character");
            }
        }
        return normalized;
    }

    /**
     * The bytes SCRAM hashes for {@code password}: its SASLprep'd form in UTF-8, or, when
     * SASLprep refuses it, the password's own UTF-8 bytes. PostgreSQL does the same on both
     * sides (libpq and the server's stored verifier), so a password that fails SASLprep still
     * works, and both sides agree on its bytes.
     */
    public static byte[] passwordBytes(String password) {
        String prepared;
        try {
            prepared = prepare(password);
        } catch (PgException notPreparable) {
            prepared = password;
        }
        return prepared.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(int cp) {
        return String.format("U+%04X", cp);
    }
}
