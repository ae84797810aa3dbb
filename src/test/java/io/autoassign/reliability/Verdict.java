package io.autoassign.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a run found: a log of what it did and the failed checks; the run fails when any check failed. */
final class Verdict {

	private final Instant started = Instant.now();

	private final List<String> failures = new ArrayList<>();

	private int checks;

	synchronized void check(boolean ok, String what) {
		this.checks++;
		if (!ok) {
			this.failures.add(what);
			log("FAILED: " + what);
		}
	}

	synchronized void log(String line) {
		long seconds = Duration.between(this.started, Instant.now()).toSeconds();
		System.out.printf("[%4ds] %s%n", seconds, line);
		System.out.flush();
	}

	/** Prints the outcome and answers the exit code. */
	synchronized int finish(String run) {
		long seconds = Duration.between(this.started, Instant.now()).toSeconds();
		if (this.failures.isEmpty()) {
			log(run + " PASSED: " + this.checks + " checks in " + seconds + " s");
			return 0;
		}
		log(run + " FAILED: " + this.failures.size() + " of " + this.checks + " checks in " + seconds + " s");
		this.failures.forEach((failure) -> log("  - " + failure));
		return 1;
	}

}
