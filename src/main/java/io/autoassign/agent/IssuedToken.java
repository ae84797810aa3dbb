package io.autoassign.agent;

import java.time.Instant;

/**
 * The body of {@code POST .../tokens}.
 */
public record IssuedToken(String token, Instant expiresAt) {
}
