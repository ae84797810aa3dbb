package io.autoassign;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Auto-Assign: routes customer chats to agents on the Camunda 7 engine.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@EnableScheduling
public class AutoAssignApplication {

	public static void main(String[] args) {
		SpringApplication.run(AutoAssignApplication.class, args);
	}

}
