package io.meshlog.policy.publish;

import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.model.PolicyKey;
import io.meshlog.policy.store.LogReader;
import io.meshlog.policy.store.PolicyView;
import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changes one at a time: checks the generation the writer read against the view,
 * publishes one event, and answers only once Kafka committed it and the view has read it back
 * (so a GET right after sees it).
 *
 * <p>Several policy-service instances may run at once. Before its first write, and whenever
 * another instance wrote since, an instance takes the write lock (the publisher's shared
 * transactional id, which fences the others) and waits until its view holds everything committed
 * before it; only then does it check the generation. A change that meets a fence is checked and
 * written again under the new lock, so no change is lost and none is checked against a stale view.
 */
public final class PolicyWriter implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyWriter.class);

    private final PolicyView view;
    private final LogReader reader;
    private final PolicyPublisher publisher;
    private final Clock clock;
    private final Duration timeout;
    /** Take-overs in a row before a write gives up with 503 (instances fighting over every write). */
    private static final int MAX_ATTEMPTS = 3;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        var thread = new Thread(r, "meshlog-policy-writer");
        thread.setDaemon(true);
        return thread;
    });

    public PolicyWriter(PolicyView view, LogReader reader, PolicyPublisher publisher, Clock clock, Duration timeout) {
        this.view = view;
        this.reader = reader;
        this.publisher = publisher;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Creates or replaces {@code doc} (its generation, if set, must be the current one; 0: must not exist). */
    public CompletableFuture<WriteResult> put(PolicyDocument doc, String author, boolean dryRun) {
        return submit(dryRun, () -> {
            var key = doc.key();
            var current = view.get(key).orElse(null);
            checkGeneration(key, current, doc.generation());
            if (current != null && current.getSpec().equals(doc.spec())
                    && current.getLabels().equals(new HashMap<>(doc.labels()))) {
                return new WriteResult(key, current, current.getGeneration(), false, false, dryRun);
            }
            var event = event(key, doc.labels(), doc.spec(), author);
            return write(key, event, current == null, dryRun, author);
        });
    }

    /** Deletes {@code key} with a tombstone. */
    public CompletableFuture<WriteResult> delete(PolicyKey key, Long expectedGeneration, String author, boolean dryRun) {
        return submit(dryRun, () -> {
            var current = view.get(key).orElseThrow(() -> new NotFoundException(key + " does not exist"));
            checkGeneration(key, current, expectedGeneration);
            if (!dryRun) {
                var metadata = publisher.publish(key, null, author);
                await(reader.awaitPolicyOffset(metadata.partition(), metadata.offset()));
                log("policy deleted", key, current.getGeneration());
            }
            return new WriteResult(key, null, current.getGeneration(), false, true, dryRun);
        });
    }

    /** Publishes the spec and labels of {@code key} at {@code generation} again, as a new generation. */
    public CompletableFuture<WriteResult> rollback(PolicyKey key, long generation, Long expectedGeneration,
            String author, boolean dryRun) {
        return submit(dryRun, () -> {
            var old = view.history(key).stream()
                    .filter(v -> !v.deleted() && v.generation() == generation).reduce((a, b) -> b)
                    .orElseThrow(() -> new NotFoundException(key + " has no generation " + generation + " in the log"));
            var current = view.get(key).orElse(null);
            checkGeneration(key, current, expectedGeneration);
            var event = event(key, old.event().getLabels(), (SpecificRecord) old.event().getSpec(), author);
            return write(key, event, current == null, dryRun, author);
        });
    }

    private PolicyEvent event(PolicyKey key, java.util.Map<String, String> labels, SpecificRecord spec, String author) {
        var current = view.get(key).map(PolicyEvent::getGeneration).orElse(0L);
        return PolicyEvent.newBuilder()
                .setKind(key.kind()).setNamespace(key.namespace()).setName(key.name())
                .setLabels(new HashMap<>(labels))
                .setGeneration(Math.max(current, view.lastGeneration(key)) + 1)
                .setAuthor(author).setTime(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .setSpec(spec).build();
    }

    private WriteResult write(PolicyKey key, PolicyEvent event, boolean created, boolean dryRun, String author) {
        if (!dryRun) {
            var metadata = publisher.publish(key, event, author);
            await(reader.awaitPolicyOffset(metadata.partition(), metadata.offset()));
            log("policy published", key, event.getGeneration());
        }
        return new WriteResult(key, event, event.getGeneration(), created, true, dryRun);
    }

    private static void checkGeneration(PolicyKey key, PolicyEvent current, Long expected) {
        if (expected == null) {
            return;
        }
        var actual = current == null ? 0 : current.getGeneration();
        if (actual != expected) {
            throw new ConflictException(key + " is at generation " + actual + ", but the change was based on generation "
                    + expected + ": read it again and retry");
        }
    }

    private void await(CompletableFuture<?> future) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new KafkaUnavailableException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException(new TimeoutException("no acknowledgement within " + timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(e);
        }
    }

    private CompletableFuture<WriteResult> submit(boolean dryRun, Supplier<WriteResult> task) {
        return CompletableFuture.supplyAsync(() -> dryRun ? task.get() : underWriteLock(task), executor);
    }

    private WriteResult underWriteLock(Supplier<WriteResult> task) {
        for (int attempt = 1; ; attempt++) {
            if (!publisher.holdsWriteLock()) {
                publisher.takeOver();
                await(reader.awaitCaughtUp());
            }
            try {
                return task.get();
            } catch (PolicyPublisher.FencedException e) {
                LOGGER.atInfo().addKeyValue("attempt", attempt)
                        .log("another policy-service instance wrote: taking the write lock back and checking again");
                if (attempt == MAX_ATTEMPTS) {
                    throw new KafkaUnavailableException(new IllegalStateException(
                            "the write lock moved to another policy-service instance " + MAX_ATTEMPTS + " times in a row"));
                }
            }
        }
    }

    private static void log(String message, PolicyKey key, long generation) {
        LOGGER.atInfo().addKeyValue("policyKind", key.kind()).addKeyValue("policyName", key.namespace() + "/" + key.name())
                .addKeyValue("generation", generation).log(message);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
