package io.autoassign.agent;

import java.time.Instant;

/**
 * The body of {@code POST .../tokens}.
 */
public record IssuedToken(String token, Instant expiresAt) {

	/** Without the token: Spring MVC logs the bodies it writes at DEBUG, and a token is a credential. */
	@Override
	public String toString() {
		return "IssuedToken[token=(hidden), expiresAt=" + this.expiresAt + "]";
	}

}
