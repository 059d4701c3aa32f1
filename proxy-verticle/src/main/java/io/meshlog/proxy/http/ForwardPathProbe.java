package io.meshlog.proxy.http;

/**
 * A test hook into the forward path: called at each step with the request, it may throw to stand
 * for a bug there, so tests can show the safety net answering 500 IE. Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface ForwardPathProbe {
    /** Where on the forward path the probe is called. */
    enum Step {
        /** The listener handler received the request (before routing or interceptors). */
        RECEIVED,
        /** The body is read; the tries are about to start. */
        TRIES,
        /** The tries are over; the outcome is about to be relayed or answered. */
        RESPONSE
    }

    ForwardPathProbe NONE = (step, ctx) -> {};

    void at(Step step, RequestContext ctx);
}
