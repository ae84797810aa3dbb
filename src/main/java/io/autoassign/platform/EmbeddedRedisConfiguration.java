package io.autoassign.platform;

import java.util.Arrays;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Wires {@link EmbeddedRedis} so that it is up before any Redis connection is made.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "auto-assign.embedded-redis", havingValue = "true")
class EmbeddedRedisConfiguration {

	static final String BEAN_NAME = "embeddedRedis";

	@Bean(BEAN_NAME)
	EmbeddedRedis embeddedRedis(@Value("${spring.data.redis.url}") String url) {
		return new EmbeddedRedis(url);
	}

	@Bean
	static BeanFactoryPostProcessor redisAfterEmbeddedRedis() {
		return (ConfigurableListableBeanFactory beanFactory) -> {
			for (String name : beanFactory.getBeanNamesForType(RedisConnectionFactory.class, true, false)) {
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				String[] dependsOn = definition.getDependsOn() == null ? new String[0] : definition.getDependsOn();
				String[] extended = Arrays.copyOf(dependsOn, dependsOn.length + 1);
				extended[dependsOn.length] = BEAN_NAME;
				definition.setDependsOn(extended);
			}
		};
	}

}
