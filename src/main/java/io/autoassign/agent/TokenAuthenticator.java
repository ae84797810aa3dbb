package io.autoassign.agent;

import io.autoassign.security.BearerTokens;
import io.autoassign.security.InvalidTokenException;
import io.autoassign.security.TokenClaims;

import org.springframework.stereotype.Component;

/**
 * Checks an agent/admin token for the REST API and the WebSocket. Beyond the signature and
 * expiry, the agent must still exist with the role the token names, so that deleting an agent
 * or demoting an admin takes effect at once.
 */
@Component
class TokenAuthenticator implements BearerTokens {

	private final TokenService tokens;

	private final AgentService agents;

	TokenAuthenticator(TokenService tokens, AgentService agents) {
		this.tokens = tokens;
		this.agents = agents;
	}

	@Override
	public TokenClaims verify(String token) {
		TokenClaims claims = this.tokens.verify(token);
		Agent agent = this.agents.find(claims.companyId(), claims.agentId())
			.orElseThrow(() -> new InvalidTokenException("The token's agent no longer exists"));
		if (agent.role() != claims.role()) {
			throw new InvalidTokenException("The token's agent no longer has the role " + claims.role());
		}
		return claims;
	}

}
