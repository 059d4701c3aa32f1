package io.meshlog.cert.keystore;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** PEM text to and from certificates and private keys (Bouncy Castle's PEM reader and writer). */
public final class Pem {
    private Pem() {}

    /** PEM of one or more objects (certificates or a key), concatenated. */
    public static String encode(Collection<?> objects) {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            for (var object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** PEM of one object; a private key is written as PKCS#8 "PRIVATE KEY". */
    public static String encode(Object object) {
        if (object instanceof PrivateKey key) {
            var base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
        }
        return encode(List.of(object));
    }

    /**
     * Every certificate in {@code pem}, in order.
     *
     * @param source names the PEM's origin in errors (a file, a topic)
     */
    public static List<X509Certificate> certificates(String pem, String source) {
        var result = new ArrayList<X509Certificate>();
        try (var parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    result.add(new JcaX509CertificateConverter().getCertificate(holder));
                } else {
                    throw new IllegalArgumentException(source + ": expected only CERTIFICATE blocks");
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(source + ": not a readable PEM certificate: "
                    + e.getMessage(), e);
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException(source + ": no PEM certificate found");
        }
        return result;
    }

    /**
     * The private key in {@code pem} (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY").
     *
     * @param source names the PEM's origin in errors; the key itself never appears in them
     */
    public static PrivateKey privateKey(String pem, String source) {
        try (var parser = new PEMParser(new StringReader(pem))) {
            var object = parser.readObject();
            PrivateKeyInfo info;
            if (object instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (object instanceof PrivateKeyInfo plain) {
                info = plain;
            } else {
                throw new IllegalArgumentException(source + ": expected an unencrypted PRIVATE KEY or"
                        + " EC PRIVATE KEY block");
            }
            // the JDK's own KeyFactory: Bouncy Castle's converter needs its provider registered
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(source + ": not a readable EC private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
