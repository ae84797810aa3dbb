package io.autoassign.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a measurement window: the service's JVM, PostgreSQL's
 * processes, Redis, this load generator and everything else, as shares of all cores' time,
 * read from /proc (Linux only; elsewhere the split is empty). It shows what bounds a rate on a
 * machine where all of them share two cores.
 */
final class CpuSplit {

	private final long servicePid;

	private final Map<String, Long> start;

	private final long startTotal;

	private final long startIdle;

	private CpuSplit(long servicePid) {
		this.servicePid = servicePid;
		this.startTotal = totalJiffies();
		this.startIdle = idleJiffies();
		this.start = byOwner(servicePid);
	}

	static CpuSplit begin(long servicePid) {
		return new CpuSplit(servicePid);
	}

	/** Shares (percent of all cores' time) since {@link #begin}, by owner. */
	Map<String, Double> end() {
		long total = totalJiffies() - this.startTotal;
		Map<String, Long> now = byOwner(this.servicePid);
		Map<String, Double> shares = new LinkedHashMap<>();
		if (total <= 0) {
			return shares;
		}
		for (Map.Entry<String, Long> entry : now.entrySet()) {
			long used = entry.getValue() - this.start.getOrDefault(entry.getKey(), 0L);
			shares.put(entry.getKey(), 100.0 * used / total);
		}
		long idle = idleJiffies();
		shares.put("idle", 100.0 * (idle - this.startIdle) / total);
		shares.put("other", Math.max(0, 100.0 - shares.values().stream().mapToDouble(Double::doubleValue).sum()));
		return shares;
	}

	static String describe(Map<String, Double> shares) {
		StringBuilder out = new StringBuilder();
		shares.forEach((owner, share) -> out.append(out.isEmpty() ? "" : ", ")
			.append(String.format(Locale.ROOT, "%s %.0f%%", owner, share)));
		return out.toString();
	}

	private static Map<String, Long> byOwner(long servicePid) {
		Map<String, Long> owners = new LinkedHashMap<>();
		owners.put("service JVM", 0L);
		owners.put("PostgreSQL", 0L);
		owners.put("Redis", 0L);
		owners.put("load generator", 0L);
		long self = ProcessHandle.current().pid();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			processes.filter((p) -> p.getFileName().toString().matches("\\d+")).forEach((p) -> {
				long pid = Long.parseLong(p.getFileName().toString());
				String[] stat = stat(p);
				if (stat == null) {
					return;
				}
				String owner = pid == servicePid ? "service JVM"
						: pid == self ? "load generator"
								: stat[0].equals("postgres") ? "PostgreSQL" : stat[0].startsWith("redis-server") ? "Redis" : null;
				if (owner != null) {
					// utime + stime (fields 14 and 15 of /proc/<pid>/stat)
					owners.merge(owner, Long.parseLong(stat[12]) + Long.parseLong(stat[13]), Long::sum);
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			return new LinkedHashMap<>();
		}
		return owners;
	}

	/** The command name, then the fields after it (index 12 = utime, 13 = stime). */
	private static String[] stat(Path process) {
		try {
			String line = Files.readString(process.resolve("stat"));
			int open = line.indexOf('(');
			int close = line.lastIndexOf(')');
			String[] rest = line.substring(close + 2).split(" ");
			String[] fields = new String[rest.length + 1];
			fields[0] = line.substring(open + 1, close);
			System.arraycopy(rest, 0, fields, 1, rest.length);
			return fields;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static long totalJiffies() {
		// user, nice, system, idle, iowait, irq, softirq, steal (guest time is inside user)
		String[] values = cpuLine();
		long sum = 0;
		for (int i = 0; i < Math.min(8, values.length); i++) {
			sum += Long.parseLong(values[i]);
		}
		return sum;
	}

	private static long idleJiffies() {
		String[] values = cpuLine();
		return values.length > 4 ? Long.parseLong(values[3]) + Long.parseLong(values[4]) : 0;
	}

	private static String[] cpuLine() {
		try {
			String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
			return first.replaceFirst("^cpu\\s+", "").trim().split("\\s+");
		}
		catch (IOException | RuntimeException ex) {
			return new String[0];
		}
	}

}
