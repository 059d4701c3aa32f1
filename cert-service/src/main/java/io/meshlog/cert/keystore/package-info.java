/**
 * Secret material on disk: {@link io.meshlog.cert.keystore.SecretFiles} writes the CA key and the
 * join-token key with mode 0600 and refuses to read them when group or others may;
 * {@link io.meshlog.cert.keystore.Pem} converts certificates and keys to and from PEM;
 * {@link io.meshlog.cert.keystore.CaStateDirectory} names the files of the state directory. Used
 * at start and on rotation, from the main or admin thread.
 */
package io.meshlog.cert.keystore;
