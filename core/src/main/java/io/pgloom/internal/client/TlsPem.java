package io.pgloom.internal.client;

import io.pgloom.PgException;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM files libpq users already have: certificates ({@code BEGIN CERTIFICATE}, one
 * or many) and private keys in the formats OpenSSL writes.
 *
 * <p>Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}), encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE
 * KEY}, decrypted with {@code sslpassword}), and the older OpenSSL forms PKCS#1 ({@code BEGIN
 * RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}), which the JDK cannot read and which
 * are wrapped into PKCS#8 here with a few bytes of DER. OpenSSL's legacy per-file encryption
 * ({@code Proc-Type: 4,ENCRYPTED}) is refused with the command that converts it.
 *
 * <p>Every failure is a {@link PgException} naming the file and what is wrong. Stateless.
 */
final class TlsPem {

    // DER encodings (tag, length, value) of the algorithm OIDs a key file may name.
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 1, 1, 1};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 2, 1};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] DER_INTEGER_0 = {0x02, 0x01, 0x00};

    private static final int TAG_INTEGER = 0x02;
    private static final int TAG_OCTET_STRING = 0x04;
    private static final int TAG_OID = 0x06;
    private static final int TAG_SEQUENCE = 0x30;
    private static final int TAG_CONTEXT_0 = 0xA0;

    private TlsPem() {
    }

    /** One {@code -----BEGIN type-----} block: its type, whether it has headers, its bytes. */
    record Block(String type, String headers, byte[] der) {
    }

    /** Every certificate in {@code file}, in file order. */
    static List<X509Certificate> readCertificates(Path file, String role) {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new PgException("this JDK cannot read X.509 certificates", e);
        }
        for (Block block : readBlocks(file, role)) {
            if (!block.type().equals("CERTIFICATE") && !block.type().equals("X509 CERTIFICATE")
                    && !block.type().equals("TRUSTED CERTIFICATE")) {
                continue; // CRLs, keys and parameters may share the file
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException | ClassCastException e) {
                throw new PgException(role + " file " + file + ": certificate " + (certificates.size() + 1)
                        + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new PgException(role + " file " + file + " holds no \"-----BEGIN CERTIFICATE-----\" block;"
                    + " it must be a PEM file of X.509 certificates");
        }
        return certificates;
    }

    /** The private key in {@code file}, decrypted with {@code password} when it is encrypted. */
    static PrivateKey readPrivateKey(Path file, String password) {
        String role = "sslkey";
        for (Block block : readBlocks(file, role)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der(), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return pkcs8(decrypt(block.der(), password, file), file);
                }
                case "RSA PRIVATE KEY" -> {
                    refuseLegacyEncryption(block, file);
                    byte[] algorithm = sequence(OID_RSA, DER_NULL);
                    return pkcs8(sequence(DER_INTEGER_0, algorithm, tlv(TAG_OCTET_STRING, block.der())), file);
                }
                case "EC PRIVATE KEY" -> {
                    refuseLegacyEncryption(block, file);
                    byte[] algorithm = sequence(OID_EC_PUBLIC_KEY, sec1Curve(block.der(), file));
                    return pkcs8(sequence(DER_INTEGER_0, algorithm, tlv(TAG_OCTET_STRING, block.der())), file);
                }
                default -> {
                    // "EC PARAMETERS" precedes the key in files from "openssl ecparam -genkey"; skip it.
                }
            }
        }
        throw new PgException("sslkey file " + file + " holds no private key: expected \"-----BEGIN PRIVATE KEY-----\","
                + " \"ENCRYPTED PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\"");
    }

    /** The PEM blocks of {@code file}; text outside blocks (OpenSSL's "Bag Attributes") is ignored. */
    static List<Block> readBlocks(Path file, String role) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; never fails to decode
        } catch (NoSuchFileException e) {
            throw new PgException(role + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new PgException("cannot read " + role + " file " + file + ": " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return blocks;
            }
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                throw new PgException(role + " file " + file + " has a broken \"-----BEGIN\" line");
            }
            String type = text.substring(begin + 11, typeEnd).trim();
            String endMarker = "-----END " + type + "-----";
            int end = text.indexOf(endMarker, typeEnd);
            if (end < 0) {
                throw new PgException(role + " file " + file + ": \"" + type + "\" block has no \"" + endMarker + "\"");
            }
            String body = text.substring(typeEnd + 5, end);
            String headers = "";
            int blankLine = body.replace("\r\n", "\n").indexOf("\n\n");
            if (body.contains(":") && blankLine >= 0) {
                // RFC 1421 headers (OpenSSL's legacy encryption) end at the first empty line.
                String normalized = body.replace("\r\n", "\n");
                headers = normalized.substring(0, blankLine).trim();
                body = normalized.substring(blankLine + 2);
            }
            try {
                blocks.add(new Block(type, headers, Base64.getMimeDecoder().decode(body.trim())));
            } catch (IllegalArgumentException e) {
                throw new PgException(role + " file " + file + ": \"" + type + "\" block is not valid base64", e);
            }
            at = end + endMarker.length();
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        String algorithm = keyAlgorithm(der, file);
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new PgException("sslkey file " + file + " holds an " + algorithm + " key this JDK cannot read: "
                    + e.getMessage(), e);
        }
    }

    /** Reads PrivateKeyInfo's AlgorithmIdentifier to pick the KeyFactory. */
    private static String keyAlgorithm(byte[] der, Path file) {
        try {
            Der top = Der.at(der, 0, TAG_SEQUENCE);
            Der version = Der.at(der, top.contentStart(), TAG_INTEGER);
            Der algorithmId = Der.at(der, version.end(), TAG_SEQUENCE);
            Der oid = Der.at(der, algorithmId.contentStart(), TAG_OID);
            String dotted = oid.dottedOid(der);
            return switch (dotted) {
                case "1.2.840.113549.1.1.1" -> "RSA";
                case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
                case "1.2.840.10045.2.1" -> "EC";
                case "1.3.101.112" -> "Ed25519";
                case "1.3.101.113" -> "Ed448";
                case "1.2.840.10040.4.1" -> "DSA";
                default -> throw new PgException("sslkey file " + file + " holds a key of algorithm " + dotted
                        + ", which pgloom does not know; use RSA, EC or Ed25519");
            };
        } catch (IllegalArgumentException e) {
            throw new PgException("sslkey file " + file + " is not a valid PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    private static byte[] decrypt(byte[] der, String password, Path file) {
        if (password == null) {
            throw new PgException("sslkey file " + file + " is encrypted: set sslpassword to its password");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // For PBES2 (what OpenSSL writes by default) the JDK names the real cipher, such as
            // PBEWithHmacSHA256AndAES_256, only through the parameters.
            String cipherName = info.getAlgParameters() != null
                    && (info.getAlgName().equals("PBES2") || info.getAlgName().equals("1.2.840.113549.1.5.13"))
                    ? info.getAlgParameters().toString() : info.getAlgName();
            PBEKeySpec keySpec = new PBEKeySpec(password.toCharArray());
            Cipher cipher = Cipher.getInstance(cipherName);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(cipherName).generateSecret(keySpec),
                    info.getAlgParameters());
            keySpec.clearPassword();
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new PgException("sslpassword does not decrypt sslkey file " + file + " (wrong password?)", e);
        } catch (GeneralSecurityException | IOException e) {
            throw new PgException("cannot decrypt sslkey file " + file + ": " + e.getMessage()
                    + "; re-encrypt it with \"openssl pkcs8 -topk8 -v2 aes-256-cbc\"", e);
        }
    }

    private static void refuseLegacyEncryption(Block block, Path file) {
        if (block.headers().contains("ENCRYPTED")) {
            throw new PgException("sslkey file " + file + " uses OpenSSL's legacy PEM encryption, which pgloom does"
                    + " not read; convert it with \"openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + file.getFileName()
                    + " -out key.pk8.pem\" and set sslkey to the result");
        }
    }

    /** SEC1's ECPrivateKey names its curve in an optional [0] field; PKCS#8 needs it outside. */
    private static byte[] sec1Curve(byte[] der, Path file) {
        try {
            Der top = Der.at(der, 0, TAG_SEQUENCE);
            Der field = Der.at(der, top.contentStart(), TAG_INTEGER);
            field = Der.at(der, field.end(), TAG_OCTET_STRING);
            while (field.end() < top.end()) {
                field = Der.at(der, field.end(), -1);
                if (field.tag() == TAG_CONTEXT_0) {
                    Der oid = Der.at(der, field.contentStart(), TAG_OID);
                    return java.util.Arrays.copyOfRange(der, oid.start(), oid.end());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new PgException("sslkey file " + file + " is not a valid SEC1 EC private key: " + e.getMessage(), e);
        }
        throw new PgException("sslkey file " + file + " is an EC key without its curve; convert it with"
                + " \"openssl pkcs8 -topk8 -nocrypt\" and set sslkey to the result");
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(TAG_SEQUENCE, content.toByteArray());
    }

    /** One DER element: tag, definite length (short or long form), value. */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** One DER element's position in a byte array: where it starts, its content, where it ends. */
    record Der(int tag, int start, int contentStart, int end) {

        /** Reads the element at {@code offset}; {@code expectedTag} -1 accepts any tag. */
        static Der at(byte[] der, int offset, int expectedTag) {
            if (offset + 2 > der.length) {
                throw new IllegalArgumentException("truncated DER at offset " + offset);
            }
            int tag = der[offset] & 0xFF;
            if (expectedTag >= 0 && tag != expectedTag) {
                throw new IllegalArgumentException(String.format("expected DER tag 0x%02X at offset %d, found 0x%02X",
                        expectedTag, offset, tag));
            }
            int first = der[offset + 1] & 0xFF;
            int contentStart = offset + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int bytes = first & 0x7F;
                if (bytes == 0 || bytes > 4 || contentStart + bytes > der.length) {
                    throw new IllegalArgumentException("bad DER length at offset " + offset);
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[contentStart + i] & 0xFF);
                }
                contentStart += bytes;
            }
            if (contentStart + length > der.length) {
                throw new IllegalArgumentException("DER element at offset " + offset + " runs past the end");
            }
            return new Der(tag, offset, contentStart, (int) (contentStart + length));
        }

        /** The OID this element holds, in dotted form. */
        String dottedOid(byte[] der) {
            StringBuilder b = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = contentStart; i < end; i++) {
                value = (value << 7) | (der[i] & 0x7F);
                if ((der[i] & 0x80) == 0) {
                    if (first) {
                        long arc0 = Math.min(value / 40, 2);
                        b.append(arc0).append('.').append(value - 40 * arc0);
                        first = false;
                    } else {
                        b.append('.').append(value);
                    }
                    value = 0;
                }
            }
            return b.toString();
        }
    }
}
