package io.meshlog.proxy.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The few DER encodings a PKCS#10 request needs (the proxy has no ASN.1 library). */
final class Der {
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int UTF8_STRING = 0x0C;
    static final int CONTEXT_0_CONSTRUCTED = 0xA0;
    static final int CONTEXT_6_PRIMITIVE = 0x86;

    // 1.2.840.10045.4.3.2 ecdsa-with-SHA256
    static final byte[] OID_ECDSA_SHA256 = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    // 1.2.840.113549.1.9.14 extensionRequest
    static final byte[] OID_EXTENSION_REQUEST = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x09, 0x0E};
    // 2.5.29.17 subjectAltName
    static final byte[] OID_SUBJECT_ALT_NAME = {0x06, 0x03, 0x55, 0x1D, 0x11};
    // 2.5.4.10 organizationName
    static final byte[] OID_ORGANIZATION = {0x06, 0x03, 0x55, 0x04, 0x0A};

    private Der() {}

    static byte[] tlv(int tag, byte[]... contents) {
        var body = concat(contents);
        var out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        } else {
            throw new IllegalArgumentException("DER value too long: " + length);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] utf8(String text) {
        return tlv(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bitString(byte[] bits) {
        return tlv(BIT_STRING, new byte[] {0}, bits);
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
