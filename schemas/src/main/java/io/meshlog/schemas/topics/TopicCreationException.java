package io.meshlog.schemas.topics;

/** A topic could not be created or exists in a shape the mesh cannot use. */
public final class TopicCreationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TopicCreationException(String message, Throwable cause) {
        super(message, cause);
    }
}
