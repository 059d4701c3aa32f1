package io.meshlog.schemas.auth;

/**
 * A bearer token and who holds it.
 *
 * @param name who holds it: recorded as the author of changes, logged; never the token
 * @param token the secret, at least {@link #MIN_LENGTH} characters
 * @param writer whether it may change what the API guards (read-only APIs ignore it)
 */
public record BearerToken(String name, String token, boolean writer) {
    /** The shortest token accepted. */
    public static final int MIN_LENGTH = 16;

    public BearerToken {
        if (name == null || name.isBlank()) {
            throw new InvalidTokenException("name", "must not be empty");
        }
        if (token == null || token.length() < MIN_LENGTH) {
            throw new InvalidTokenException("token", "must be at least " + MIN_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return "BearerToken[name=" + name + ", token=<redacted>, writer=" + writer + "]";
    }

    /** A token that cannot be used; {@link #field()} says which part, for the config path. */
    public static final class InvalidTokenException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String problem;

        InvalidTokenException(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
            this.problem = problem;
        }

        /** {@code name} or {@code token}. */
        public String field() {
            return field;
        }

        /** What is wrong, without the value. */
        public String problem() {
            return problem;
        }
    }
}
