package io.autoassign.security;

/**
 * What the REST filter and the WebSocket's CONNECT check need to accept an agent's or admin's
 * bearer token. The agent feature implements it (it mints the tokens and knows whether their
 * agent still exists with the role they name), so that security depends on no feature.
 */
public interface BearerTokens {

	/**
	 * The token's claims, once its signature, expiry and its agent's current role are checked.
	 * @throws InvalidTokenException when any of them fails
	 */
	TokenClaims verify(String token);

	/** The caller the token stands for. */
	default Caller.Member authenticate(String token) {
		TokenClaims claims = verify(token);
		return new Caller.Member(claims.companyId(), claims.agentId(), claims.role());
	}

}
