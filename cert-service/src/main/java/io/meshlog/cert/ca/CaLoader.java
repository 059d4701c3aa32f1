package io.meshlog.cert.ca;

import io.meshlog.cert.config.CertServiceConfig;
import io.meshlog.cert.keystore.CaStateDirectory;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the signing CA at start: the operator's PEM files when configured, else the one in the
 * state directory, else a new root written there (key 0600). Keys are checked for mode 0600.
 */
public final class CaLoader {
    static final String CURRENT = "current-ca";
    static final String NEXT = "next-ca";
    static final String RETIRING = "retiring-ca.pem";

    private static final Logger LOGGER = LoggerFactory.getLogger(CaLoader.class);
    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    private CaLoader() {}

    public static SigningCa loadOrCreate(CertServiceConfig config, CaStateDirectory state, Clock clock) {
        if (config.suppliedCa().isPresent()) {
            var supplied = config.suppliedCa().get();
            var loaded = CaStateDirectory.loadKeyAndChain(
                    supplied.privateKey(), supplied.certificate(), supplied.chain());
            var ca = new SigningCa(loaded.key(), loaded.chain());
            LOGGER.atInfo().addKeyValue("signer", ca.signer().getSubjectX500Principal())
                    .addKeyValue("root", ca.root().getSubjectX500Principal())
                    .log("using the operator-supplied CA");
            return ca;
        }
        var stored = state.loadKeyAndChain(CURRENT);
        if (stored.isPresent()) {
            var ca = new SigningCa(stored.get().key(), stored.get().chain());
            LOGGER.atInfo().addKeyValue("root", ca.root().getSubjectX500Principal())
                    .log("loaded the mesh CA from the state directory");
            return ca;
        }
        var ca = newRoot(config.trustDomain(), clock);
        state.saveKeyAndChain(CURRENT, ca.key(), ca.chain());
        LOGGER.atInfo().addKeyValue("root", ca.root().getSubjectX500Principal())
                .addKeyValue("keyFile", state.file(CURRENT + ".key"))
                .log("created a new mesh root CA (key stored with mode 0600)");
        return ca;
    }

    static SigningCa newRoot(String trustDomain, Clock clock) {
        return CaCertificates.newRoot(trustDomain, LABEL.format(clock.instant()), clock);
    }
}
