package io.autoassign.domain;

/**
 * The company, agent or chat named in the path does not exist: 404.
 */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}

	public static NotFoundException company(String companyId) {
		return new NotFoundException("Company '" + companyId + "' is unknown");
	}

	public static NotFoundException agent(String companyId, String agentId) {
		return new NotFoundException("Agent '" + agentId + "' of company '" + companyId + "' is unknown");
	}

	public static NotFoundException chat(String companyId, String chatId) {
		return new NotFoundException("Chat '" + chatId + "' of company '" + companyId + "' is unknown");
	}

}
