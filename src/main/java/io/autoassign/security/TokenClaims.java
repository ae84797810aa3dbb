package io.autoassign.security;

import java.time.Instant;

/**
 * What an agent or admin token proves: who, in which company, in which role, until when.
 */
public record TokenClaims(String companyId, String agentId, Role role, Instant expiresAt) {
}
