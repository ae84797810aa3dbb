package io.autoassign.security;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the configured operator account ({@code AUTO_ASSIGN_ADMIN_USER}) as the configuration
 * says at every start: Camunda's starter creates it once and then neither changes its password
 * nor unlocks it. So a changed {@code AUTO_ASSIGN_ADMIN_PASSWORD} takes effect at the next start
 * (rotation), and a lock left by failed logins is lifted.
 */
@Component
class AdminAccount {

	private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);

	private final IdentityService identity;

	private final String userId;

	private final String password;

	AdminAccount(IdentityService identity, @Value("${camunda.bpm.admin-user.id:}") String userId,
			@Value("${camunda.bpm.admin-user.password:}") String password) {
		this.identity = identity;
		this.userId = userId;
		this.password = password;
	}

	@EventListener(ApplicationReadyEvent.class)
	void applyConfiguration() {
		if (this.userId.isBlank() || this.password.isBlank()) {
			return;
		}
		User user = this.identity.createUserQuery().userId(this.userId).singleResult();
		if (user == null) {
			return;
		}
		user.setPassword(this.password);
		this.identity.saveUser(user);
		this.identity.unlockUser(this.userId);
		log.info("Operator account {}: password as configured, unlocked", this.userId);
	}

}
