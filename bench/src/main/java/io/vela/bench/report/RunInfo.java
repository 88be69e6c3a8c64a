package io.vela.bench.report;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine and JVM a report was made on, as label/value pairs in display order.
 *
 * @param entries label to value
 */
public record RunInfo(Map<String, String> entries) {

    /** @param entries label to value; copied */
    public RunInfo {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** @return this JVM and the machine it runs on */
    public static RunInfo current() {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("report written", Instant.now().toString());
        m.put("host", hostName());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        m.put("cores available", Integer.toString(Runtime.getRuntime().availableProcessors()));
        long mem = physicalMemory();
        m.put("physical memory", mem <= 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f GiB",
                mem / (1024.0 * 1024 * 1024)));
        m.put("jvm", rt.getVmVendor() + " " + rt.getVmName() + " " + rt.getVmVersion());
        m.put("java version", System.getProperty("java.version"));
        m.put("max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        m.put("jvm arguments", String.join(" ", rt.getInputArguments()));
        return new RunInfo(m);
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
