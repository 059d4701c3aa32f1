package io.meshlog.policy.store;

import io.meshlog.policy.model.PolicyKey;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The policies as the topic says they are: the latest version of each key, and every version of
 * each key still in the log. Written only by the {@link LogReader}; read from any thread.
 */
public final class PolicyView {
    private final Map<PolicyKey, PolicyEvent> latest = new ConcurrentHashMap<>();
    private final Map<PolicyKey, List<PolicyVersion>> history = new ConcurrentHashMap<>();

    /** Applies one record of the topic: an event, or a tombstone ({@code event == null}). */
    public void apply(PolicyKey key, PolicyEvent event, String author, Instant recordTime, long offset) {
        var versions = history.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
        if (event == null) {
            var previous = latest.remove(key);
            var generation = previous != null ? previous.getGeneration() : lastGeneration(key);
            versions.add(new PolicyVersion(key, null, generation, author, recordTime, offset));
        } else {
            latest.put(key, event);
            versions.add(new PolicyVersion(key, event, event.getGeneration(), event.getAuthor(), event.getTime(), offset));
        }
    }

    public Optional<PolicyEvent> get(PolicyKey key) {
        return Optional.ofNullable(latest.get(key));
    }

    /** Policies of {@code kind} (null: all) in {@code namespace} (null: all) with all {@code labels}. */
    public List<PolicyEvent> list(PolicyKind kind, String namespace, Map<String, String> labels) {
        var out = new ArrayList<PolicyEvent>();
        for (var event : latest.values()) {
            if ((kind == null || event.getKind() == kind)
                    && (namespace == null || namespace.equals(event.getNamespace()))
                    && event.getLabels().entrySet().containsAll(labels.entrySet())) {
                out.add(event);
            }
        }
        out.sort(Comparator.comparing((PolicyEvent e) -> e.getKind().name())
                .thenComparing(PolicyEvent::getNamespace).thenComparing(PolicyEvent::getName));
        return out;
    }

    /** Every version of {@code key} still in the log, oldest first. */
    public List<PolicyVersion> history(PolicyKey key) {
        return List.copyOf(history.getOrDefault(key, List.of()));
    }

    /** The highest generation {@code key} ever had in the log (0 when never seen). */
    public long lastGeneration(PolicyKey key) {
        return history.getOrDefault(key, List.of()).stream().mapToLong(PolicyVersion::generation).max().orElse(0);
    }

    /** Every live policy. */
    public List<PolicyEvent> all() {
        return list(null, null, Map.of());
    }
}
