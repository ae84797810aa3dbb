package io.autoassign.security;

import io.autoassign.agent.Agent;
import io.autoassign.agent.AgentService;
import io.autoassign.agent.InvalidTokenException;
import io.autoassign.agent.TokenClaims;
import io.autoassign.agent.TokenService;

import org.springframework.stereotype.Component;

/**
 * Turns an agent/admin token into a {@link Caller.Member}, for the REST API and the WebSocket.
 * Beyond the signature and expiry, the agent must still exist with the role the token names,
 * so that deleting an agent or demoting an admin takes effect at once.
 */
@Component
public class TokenAuthenticator {

	private final TokenService tokens;

	private final AgentService agents;

	TokenAuthenticator(TokenService tokens, AgentService agents) {
		this.tokens = tokens;
		this.agents = agents;
	}

	public Caller.Member authenticate(String token) {
		TokenClaims claims = verify(token);
		return new Caller.Member(claims.companyId(), claims.agentId(), claims.role());
	}

	/** The token's claims, once the token and its agent's current role are checked. */
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
