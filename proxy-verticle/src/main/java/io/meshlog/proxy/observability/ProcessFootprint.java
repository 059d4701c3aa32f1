package io.meshlog.proxy.observability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the proxy's process costs, measured rather than estimated: CPU seconds used so far (the
 * JVM's process CPU time) and resident memory ({@code VmRSS} of {@code /proc/self/status}, the
 * figure {@code process_resident_memory_bytes} reports; 0 where there is no procfs). Several
 * proxies in one JVM ({@code meshlog dev}) share these figures.
 */
public final class ProcessFootprint {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessFootprint() {}

    /** CPU seconds the process has used, or 0 when the JVM cannot tell. */
    public static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? 0 : nanos / 1e9;
        }
        return 0;
    }

    /** Resident memory in bytes, or 0 when unknown. */
    public static long residentBytes() {
        try {
            return residentBytes(Files.readString(STATUS, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The {@code VmRSS} line of a {@code /proc/<pid>/status} text, in bytes (0 when absent). */
    static long residentBytes(String status) {
        for (var line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                var parts = line.substring(6).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return 0;
    }
}
