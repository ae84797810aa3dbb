package io.autoassign.security;

import io.autoassign.domain.ForbiddenException;

/**
 * Who is calling the API: the host platform (with the API key) or a member of a company's team
 * (with a token). The access rules of the contract are the methods of this type, so that every
 * controller states its rule in one line.
 */
public sealed interface Caller permits Caller.Platform, Caller.Member {

	/** The host platform: may call every endpoint. */
	record Platform() implements Caller {
	}

	/** An agent or admin of one company, authenticated by a token. */
	record Member(String companyId, String agentId, Role role) implements Caller {
	}

	/** Only the host platform. */
	default void requirePlatform() {
		if (!(this instanceof Platform)) {
			throw new ForbiddenException("Only the host platform may do this");
		}
	}

	/** The host platform or an admin of the company. */
	default void requireAdminOf(String companyId) {
		if (this instanceof Member member) {
			requireCompany(member, companyId);
			if (member.role() != Role.ADMIN) {
				throw new ForbiddenException("Only an admin of the company may do this");
			}
		}
	}

	/** The host platform or the agent itself. */
	default void requireSelf(String companyId, String agentId) {
		if (this instanceof Member member) {
			requireCompany(member, companyId);
			if (!member.agentId().equals(agentId)) {
				throw new ForbiddenException("An agent may only do this for itself");
			}
		}
	}

	/** The host platform or any member of the company. */
	default void requireMemberOf(String companyId) {
		if (this instanceof Member member) {
			requireCompany(member, companyId);
		}
	}

	/** The host platform, an admin of the company, or the agent the chat is assigned to. */
	default void requireChatReader(String companyId, String assignedAgentId) {
		if (this instanceof Member member) {
			requireCompany(member, companyId);
			if (member.role() != Role.ADMIN && !member.agentId().equals(assignedAgentId)) {
				throw new ForbiddenException("An agent may only read the chats assigned to it");
			}
		}
	}

	private static void requireCompany(Member member, String companyId) {
		// Another company's resources: 403, whether or not they exist, never their data.
		if (!member.companyId().equals(companyId)) {
			throw new ForbiddenException("The token belongs to another company");
		}
	}

}
