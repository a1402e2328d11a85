package dev.taskqueue.control.panel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process's resource usage, as far as the JVM can tell, under the names of Python's {@code getrusage} that
 * Celery's {@code stats} reports as {@code rusage}: on Linux read from {@code /proc/self} (CPU seconds in user and
 * system mode, the peak resident set in kilobytes, page faults, context switches); elsewhere only the CPU time.
 */
final class ProcessUsage {

	/** Linux's clock ticks per second ({@code CLK_TCK}), 100 on every common kernel. */
	private static final double TICKS = 100.0;

	private ProcessUsage() {
	}

	static Map<String, Object> read() {
		Map<String, Object> usage = new LinkedHashMap<>();
		try {
			readStat(Files.readString(Path.of("/proc/self/stat")), usage);
			readStatus(Files.readAllLines(Path.of("/proc/self/status")), usage);
		}
		catch (IOException | RuntimeException ex) {
			usage.clear();
			OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
			if (os instanceof com.sun.management.OperatingSystemMXBean process) {
				usage.put("utime", process.getProcessCpuTime() / 1e9);
			}
		}
		return usage;
	}

	/**
	 * {@code /proc/self/stat}: after the command in parentheses, field 3 is the state; 10 and 12 the minor and
	 * major faults, 14 and 15 the user and system times in clock ticks.
	 */
	private static void readStat(String stat, Map<String, Object> usage) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
		usage.put("utime", Long.parseLong(fields[14 - 3]) / TICKS);
		usage.put("stime", Long.parseLong(fields[15 - 3]) / TICKS);
		usage.put("minflt", Long.parseLong(fields[10 - 3]));
		usage.put("majflt", Long.parseLong(fields[12 - 3]));
	}

	private static void readStatus(List<String> status, Map<String, Object> usage) {
		for (String line : status) {
			String[] parts = line.split(":\\s*", 2);
			if (parts.length < 2) {
				continue;
			}
			String value = parts[1].trim().split("\\s+")[0];
			switch (parts[0]) {
				case "VmHWM" -> usage.put("maxrss", Long.parseLong(value));
				case "voluntary_ctxt_switches" -> usage.put("nvcsw", Long.parseLong(value));
				case "nonvoluntary_ctxt_switches" -> usage.put("nivcsw", Long.parseLong(value));
				default -> {
				}
			}
		}
	}

}
