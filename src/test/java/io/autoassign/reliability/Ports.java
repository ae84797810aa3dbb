package io.autoassign.reliability;

import java.io.IOException;
import java.net.ServerSocket;

/** Free loopback ports for the nodes a run starts (never the service's default 8080 or the benchmark's). */
final class Ports {

	private Ports() {
	}

	static int free() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The Redis database the run's nodes use (and flush at start): RELIABILITY_REDIS_DB, else the
	 * one of AUTO_ASSIGN_TEST_REDIS_URL, else 3.
	 */
	static int redisDb() {
		String value = System.getenv("RELIABILITY_REDIS_DB");
		if (value != null && !value.isBlank()) {
			return Integer.parseInt(value.trim());
		}
		String url = System.getenv("AUTO_ASSIGN_TEST_REDIS_URL");
		if (url != null && url.matches(".*/\\d+$")) {
			return Integer.parseInt(url.substring(url.lastIndexOf('/') + 1));
		}
		return 3;
	}

}
