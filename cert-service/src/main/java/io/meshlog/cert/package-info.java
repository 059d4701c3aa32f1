/**
 * cert-service entry points: {@link io.meshlog.cert.CertServiceMain} (the command line: run, token
 * create) and {@link io.meshlog.cert.CertService} (wires the CA, join tokens, the request consumer,
 * the trust bundle and the admin endpoint). Start-up runs on the main thread; work then runs on the
 * request consumer thread and the admin thread.
 */
package io.meshlog.cert;
