package io.meshlog.proxy.resilience;

/** Why an upstream attempt got no response; {@link #NONE} when it got one. */
public enum AttemptFailure {
    NONE,
    /** TCP connect refused or timed out (flag UF). */
    CONNECT_FAILURE,
    /** The per-try timeout elapsed (flag UT). */
    TIMEOUT,
    /** The upstream reset or closed the stream/connection (flag UC). */
    RESET,
    /** HTTP/2 REFUSED_STREAM. */
    REFUSED_STREAM,
    /** The connection pool or a circuit-breaker limit overflowed (flag UO). */
    OVERFLOW,
    /** No endpoint was left to try (flag UH). */
    NO_HEALTHY_UPSTREAM
}
