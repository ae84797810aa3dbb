package io.autoassign.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.autoassign.platform.AutoAssignProperties;
import io.autoassign.security.InvalidTokenException;
import io.autoassign.security.Role;
import io.autoassign.security.TokenClaims;

import org.springframework.stereotype.Service;
import org.springframework.util.StringUtils;

/**
 * Mints and verifies agent/admin tokens: {@code aa1.<claims>.<signature>}, the claims
 * (company, agent, role, expiry) base64url-encoded and signed with HMAC-SHA256.
 * <p>
 * Tokens are stateless so that any node of a cluster verifies them without a lookup; they are
 * bound to the role the agent had when minted, and {@link TokenAuthenticator} additionally
 * rejects a token whose agent no longer exists with that role.
 */
@Service
public class TokenService {

	private static final String PREFIX = "aa1.";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final byte[] secret;

	private final Clock clock;

	TokenService(AutoAssignProperties properties, Clock clock) {
		this.secret = StringUtils.hasText(properties.tokenSecret())
				? properties.tokenSecret().getBytes(StandardCharsets.UTF_8)
				// Derived, so that every node with the same API key verifies the same tokens.
				: hmac(properties.apiKey().getBytes(StandardCharsets.UTF_8),
						"auto-assign token secret v1".getBytes(StandardCharsets.UTF_8));
		this.clock = clock;
	}

	public IssuedToken issue(TokenClaims claims) {
		String payload = String.join("\n", claims.companyId(), claims.agentId(), claims.role().name(),
				Long.toString(claims.expiresAt().getEpochSecond()));
		String body = PREFIX + ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
		String signature = ENCODER.encodeToString(hmac(this.secret, body.getBytes(StandardCharsets.UTF_8)));
		return new IssuedToken(body + "." + signature, Instant.ofEpochSecond(claims.expiresAt().getEpochSecond()));
	}

	/**
	 * The claims of a genuine, unexpired token.
	 * @throws InvalidTokenException when the token is malformed, forged or expired
	 */
	public TokenClaims verify(String token) {
		if (token == null || !token.startsWith(PREFIX) || token.length() > 2048) {
			throw new InvalidTokenException("The bearer token is not an Auto-Assign token");
		}
		int dot = token.lastIndexOf('.');
		if (dot <= PREFIX.length()) {
			throw new InvalidTokenException("The bearer token is malformed");
		}
		String body = token.substring(0, dot);
		byte[] expected = hmac(this.secret, body.getBytes(StandardCharsets.UTF_8));
		byte[] actual;
		String[] parts;
		try {
			actual = DECODER.decode(token.substring(dot + 1));
			parts = new String(DECODER.decode(body.substring(PREFIX.length())), StandardCharsets.UTF_8).split("\n");
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTokenException("The bearer token is malformed");
		}
		if (!MessageDigest.isEqual(expected, actual)) {
			throw new InvalidTokenException("The bearer token's signature is invalid");
		}
		if (parts.length != 4) {
			throw new InvalidTokenException("The bearer token is malformed");
		}
		TokenClaims claims;
		try {
			claims = new TokenClaims(parts[0], parts[1], Role.valueOf(parts[2]),
					Instant.ofEpochSecond(Long.parseLong(parts[3])));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTokenException("The bearer token is malformed");
		}
		if (!claims.expiresAt().isAfter(this.clock.instant())) {
			throw new InvalidTokenException("The bearer token has expired");
		}
		return claims;
	}

	private static byte[] hmac(byte[] key, byte[] data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
