package io.meshlog.policy.api;

import io.meshlog.policy.parse.PolicyParseException;
import io.meshlog.policy.publish.ConflictException;
import io.meshlog.policy.publish.KafkaUnavailableException;
import io.meshlog.policy.publish.NotFoundException;
import io.meshlog.policy.validate.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error shape of the API: {@code {"error_code":422,"message":"…","validation_errors":[{path,
 * line,message,severity}]}}, and the mapping of every failure to it.
 */
public final class ApiErrors {
    private static final Logger LOGGER = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    /** The status and body for {@code failure}. */
    public static ApiException map(Throwable failure) {
        var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof PolicyParseException parse) {
            return new ApiException(400, parse.getMessage(),
                    List.of(Violation.error("", parse.line(), parse.getMessage())));
        }
        if (cause instanceof NotFoundException) {
            return new ApiException(404, cause.getMessage());
        }
        if (cause instanceof ConflictException) {
            return new ApiException(409, cause.getMessage());
        }
        if (cause instanceof KafkaUnavailableException) {
            return new ApiException(503, cause.getMessage());
        }
        LOGGER.atError().addKeyValue("error", String.valueOf(cause)).setCause(cause).log("unexpected failure");
        return new ApiException(500, "internal error: " + cause.getClass().getSimpleName());
    }

    /** The JSON body of an error. */
    public static JsonObject body(ApiException error) {
        var violations = new JsonArray();
        error.violations().forEach(v -> violations.add(violation(v)));
        return new JsonObject().put("error_code", error.status()).put("message", error.getMessage())
                .put("validation_errors", violations);
    }

    public static JsonObject violation(Violation v) {
        return new JsonObject().put("path", v.path()).put("line", v.line()).put("message", v.message())
                .put("severity", v.severity().name());
    }
}
