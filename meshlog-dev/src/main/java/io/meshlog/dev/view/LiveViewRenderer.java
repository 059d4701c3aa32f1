package io.meshlog.dev.view;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Renders a {@link MeshView.Snapshot} as the compact terminal view of {@code meshlog dev}. */
public final class LiveViewRenderer {
    private static final int MESSAGE_WIDTH = 110;
    private final Clock clock;
    private final List<String> header;

    /** @param header the fixed lines above the live part (URLs, commands to try) */
    public LiveViewRenderer(Clock clock, List<String> header) {
        this.clock = clock;
        this.header = List.copyOf(header);
    }

    public String render(MeshView.Snapshot view) {
        var out = new StringBuilder();
        header.forEach(line -> out.append(line).append('\n'));
        out.append('\n');
        out.append("MODES (MeshMode)\n");
        view.modes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(m -> out.append(
                String.format(Locale.ROOT, "  %-16s %s%n", m.getKey().equals(io.meshlog.policy.model.MeshScope.DEFAULT_ROOT_NAMESPACE)
                        ? "mesh" : m.getKey(), m.getValue())));
        out.append('\n');
        out.append(String.format(Locale.ROOT, "%-16s %10s %9s %10s%n", "SERVICE", "REQ/S", "ERRORS", "P99 MS"));
        if (view.services().isEmpty()) {
            out.append("  (no traffic yet: edge metrics arrive every 10 s)\n");
        }
        for (var s : view.services()) {
            out.append(String.format(Locale.ROOT, "%-16s %10.1f %8.1f%% %10.1f%n", s.service(),
                    s.requestsPerSecond(), 100 * s.errorRatio(), s.p99Millis()));
        }
        out.append('\n').append("EJECTIONS (cluster-wide)\n");
        if (view.ejections().isEmpty()) {
            out.append("  none\n");
        }
        for (var e : view.ejections()) {
            var left = e.getUntil() == null ? "" : " for " + seconds(Duration.between(clock.instant(), e.getUntil()));
            out.append(String.format(Locale.ROOT, "  %-12s %-22s %s, ejection #%d%s%n", e.getService(),
                    e.getEndpoint(), e.getReason(), e.getEjectionCount(), left));
        }
        out.append('\n').append("RETRY BUDGETS\n");
        if (view.budgets().isEmpty()) {
            out.append("  none reported\n");
        }
        for (var b : view.budgets()) {
            out.append(String.format(Locale.ROOT, "  %-12s %d of %d retries left%s%n", b.getService(),
                    b.getRemaining(), b.getAllowedRetries(), b.getExhausted() ? "  EXHAUSTED" : ""));
        }
        out.append('\n').append("ALERTS (burn rate)\n");
        if (view.alerts().isEmpty()) {
            out.append("  none firing\n");
        }
        for (var a : view.alerts()) {
            out.append(String.format(Locale.ROOT, "  %-6s %s/%s (%s): burn %.1f over %s and %.1f over %s > %.1f%n",
                    a.getSeverity(), a.getSloNamespace(), a.getSloName(), a.getService(),
                    a.getLongBurnRate(), seconds(Duration.ofMillis(a.getLongWindowMillis())),
                    a.getShortBurnRate(), seconds(Duration.ofMillis(a.getShortWindowMillis())),
                    a.getThreshold()));
        }
        canaries(view, out);
        out.append('\n').append("CERTIFICATES\n");
        if (view.certificates().isEmpty()) {
            out.append("  none issued yet\n");
        }
        for (var c : view.certificates()) {
            out.append(String.format(Locale.ROOT, "  %-22s %-48s expires in %s%n", c.getProxyId(),
                    c.getSpiffeId(), seconds(Duration.between(clock.instant(), c.getNotAfter()))));
        }
        return out.toString();
    }

    /** One line per Canary: phase, weight, step; then why (the rollback reason, or what it waits for). */
    private static void canaries(MeshView.Snapshot view, StringBuilder out) {
        out.append('\n').append("CANARIES\n");
        if (view.canaries().isEmpty()) {
            out.append("  none\n");
        }
        for (var c : view.canaries()) {
            out.append(String.format(Locale.ROOT, "  %-14s %s -> %s  %-11s weight %3d%%  step %d/%d%s%n",
                    c.getNamespace() + "/" + c.getName(), c.getStableSubset(), c.getCanarySubset(), c.getPhase(),
                    c.getCanaryWeight(), Math.min(c.getStep() + 1, c.getSteps()), c.getSteps(),
                    c.getPaused() ? "  PAUSED" : ""));
            var reason = c.getRollbackReason();
            if (reason != null && c.getPhase() == io.meshlog.schemas.v1.CanaryPhase.Failed) {
                out.append(String.format(Locale.ROOT, "    rolled back: %s %s vs threshold %.2f over %d canary requests%n",
                        reason.getMetric(), reason.getValue() == null ? "n/a"
                                : String.format(Locale.ROOT, "%.2f", reason.getValue()),
                        reason.getThreshold(), reason.getRequests()));
            } else if (!c.getMessage().isEmpty()) {
                out.append("    ").append(shorten(c.getMessage(), MESSAGE_WIDTH)).append('\n');
            }
        }
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    private static String seconds(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return (s / 3600) + "h" + (s % 3600 / 60) + "m";
        }
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}
