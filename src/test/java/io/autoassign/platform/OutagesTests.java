package io.autoassign.platform;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;

import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis failures as Spring Data Redis hands them over: an outage is retried, a misuse is not.
 */
class OutagesTests {

	@Test
	void aClusterMasterOutOfReachIsAnOutage() {
		// what a Redis Cluster connection throws when the master of a slot stays unreachable
		JedisClusterOperationException attempts = new JedisClusterOperationException("No more cluster attempts left.");
		attempts.addSuppressed(new JedisConnectionException("Connection refused"));
		assertThat(Outages.infrastructure(new InvalidDataAccessApiUsageException(attempts.getMessage(), attempts)))
			.isTrue();
	}

	@Test
	void aMisuseOfRedisIsNotAnOutage() {
		assertThat(Outages.infrastructure(new InvalidDataAccessApiUsageException("ERR wrong number of arguments")))
			.isFalse();
	}

}
