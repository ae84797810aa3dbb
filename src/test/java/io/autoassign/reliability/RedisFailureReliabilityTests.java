package io.autoassign.reliability;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Redis stops in the middle of load and comes back empty: while it is away requests get clean
 * 503s; afterwards the routing state is rebuilt from PostgreSQL, the queue keeps its chats and
 * its order and the invariant checker passes. The application uses a redis-server of its own,
 * never the machine's shared one. Run with {@code mvn -Preliability test} (see RELIABILITY.md).
 */
@Tag("reliability")
class RedisFailureReliabilityTests {

	@Test
	void routingSurvivesARedisRestartUnderLoad() throws Exception {
		try (PrivateRedis redis = new PrivateRedis()) {
			redis.start();
			try (ConfigurableApplicationContext application = FailureDrill
				.startApplication("--spring.data.redis.url=" + redis.url())) {
				FailureDrill.run(application, new FailureDrill.Failure() {

					@Override
					public void fail() throws Exception {
						redis.stop();
					}

					@Override
					public void recover() throws Exception {
						redis.start();
					}

				});
			}
		}
	}

}
