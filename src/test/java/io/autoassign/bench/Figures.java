package io.autoassign.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one benchmark run, each measured once per repetition and reported as median
 * with min-max; plus free-text notes (ratios, goals, observations) per section.
 */
final class Figures {

	/** One measured quantity: its values over the repetitions. */
	static final class Figure {

		final String name;

		final String unit;

		final List<Double> values = new ArrayList<>();

		Figure(String name, String unit) {
			this.name = name;
			this.unit = unit;
		}

		double median() {
			double[] sorted = this.values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			if (sorted.length == 0) {
				return Double.NaN;
			}
			int mid = sorted.length / 2;
			return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
		}

		double min() {
			return this.values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
		}

		double max() {
			return this.values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
		}

		String format() {
			if (this.values.isEmpty()) {
				return "not measured";
			}
			if (this.values.size() == 1) {
				return num(median()) + " " + this.unit;
			}
			return num(median()) + " " + this.unit + " (" + num(min()) + "-" + num(max()) + ")";
		}

	}

	private final Map<String, Map<String, Figure>> sections = new LinkedHashMap<>();

	private final Map<String, List<String>> notes = new LinkedHashMap<>();

	void add(String section, String name, String unit, double value) {
		this.sections.computeIfAbsent(section, (s) -> new LinkedHashMap<>())
			.computeIfAbsent(name, (n) -> new Figure(n, unit)).values.add(value);
	}

	Figure get(String section, String name) {
		Map<String, Figure> figures = this.sections.get(section);
		return figures == null ? null : figures.get(name);
	}

	double median(String section, String name) {
		Figure figure = get(section, name);
		return figure == null ? Double.NaN : figure.median();
	}

	void note(String section, String text) {
		this.sections.computeIfAbsent(section, (s) -> new LinkedHashMap<>());
		this.notes.computeIfAbsent(section, (s) -> new ArrayList<>()).add(text);
	}

	boolean isEmpty() {
		return this.sections.values().stream().allMatch(Map::isEmpty);
	}

	/** Every figure that has at least one value. */
	int measuredCount() {
		return (int) this.sections.values().stream().flatMap((m) -> m.values().stream())
			.filter((f) -> !f.values.isEmpty() && f.values.stream().allMatch((v) -> !v.isNaN()))
			.count();
	}

	String markdown() {
		StringBuilder out = new StringBuilder();
		for (Map.Entry<String, Map<String, Figure>> section : this.sections.entrySet()) {
			out.append("\n### ").append(section.getKey()).append("\n\n");
			if (!section.getValue().isEmpty()) {
				out.append("| figure | median (min-max) |\n|---|---|\n");
				for (Figure figure : section.getValue().values()) {
					out.append("| ").append(figure.name).append(" | ").append(figure.format()).append(" |\n");
				}
			}
			for (String note : this.notes.getOrDefault(section.getKey(), List.of())) {
				out.append("\n").append(note).append("\n");
			}
		}
		return out.toString();
	}

	static String num(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		double abs = Math.abs(value);
		if (abs >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (abs >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	/** The p-th percentile (0-100) of the values, nearest rank. */
	static double percentile(long[] sortedValues, double p) {
		if (sortedValues.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p / 100.0 * sortedValues.length);
		return sortedValues[Math.max(0, Math.min(sortedValues.length - 1, rank - 1))];
	}

	static long[] sorted(List<Long> values) {
		long[] array = values.stream().mapToLong(Long::longValue).toArray();
		Arrays.sort(array);
		return array;
	}

	/**
	 * What an open-loop window gives: the rate of the events that arrived inside it and the
	 * percentiles (ms) of the latencies of those scheduled inside it; each sample is
	 * {scheduled, arrived} in System.nanoTime.
	 */
	record Window(double achievedRate, double p50, double p95, double p99) {

		static Window of(Iterable<long[]> samples, long windowStart, long end) {
			List<Long> latencies = new java.util.ArrayList<>();
			long inWindow = 0;
			for (long[] sample : samples) {
				if (sample[0] >= windowStart) {
					latencies.add(sample[1] - sample[0]);
				}
				if (sample[1] >= windowStart && sample[1] < end) {
					inWindow++;
				}
			}
			long[] sorted = sorted(latencies);
			return new Window(inWindow / ((end - windowStart) / 1e9), percentile(sorted, 50) / 1e6,
					percentile(sorted, 95) / 1e6, percentile(sorted, 99) / 1e6);
		}

	}

	/** One tick of an open loop: its index and the moment it was scheduled for (System.nanoTime). */
	interface Tick {

		void at(long index, long scheduled);

	}

	/**
	 * Runs {@code tick} {@code rate} times per second from {@code start} until {@code end}, each at
	 * its scheduled moment (open loop: a slow server does not slow the sender down).
	 */
	static void openLoop(double rate, long start, long end, Tick tick) {
		double interval = 1e9 / rate;
		for (long i = 0;; i++) {
			long scheduled = start + (long) (i * interval);
			if (scheduled >= end) {
				return;
			}
			long wait = scheduled - System.nanoTime();
			if (wait > 0) {
				java.util.concurrent.locks.LockSupport.parkNanos(wait);
			}
			tick.at(i, scheduled);
		}
	}

}
