package io.meshlog.proxy.http;

/**
 * The lifecycle of one forwarded request, in order; a state is only ever left for a later one.
 * Every callback of the exchange (body read, try outcome, timer, relay, client gone, safety net)
 * first asks the state, so a late callback never writes to a finished request.
 */
enum ExchangeState {
    /** The request body is being read into the retry buffer (a streamed body skips this state). */
    READING_BODY,
    /** Tries are running through the retry executor; the route timeout is armed. */
    TRYING,
    /** A response is being relayed to the client. */
    RELAYING,
    /** The upstream response ended and the downstream one is being ended. */
    RESPONSE_ENDED,
    /** Metrics, telemetry and span are recorded: nothing more happens. */
    RECORDED;

    /** Whether the client's response is settled (nothing more may be written or recorded for it). */
    boolean ended() {
        return this == RESPONSE_ENDED || this == RECORDED;
    }
}
