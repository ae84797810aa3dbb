package io.autoassign.chat;

/**
 * Why a PENDING chat is not being routed yet.
 */
public enum WaitingFor {

	/** The customer has not picked an Auto-Menu option yet. */
	MENU,

	/** Auto-assign is disabled for the company. */
	AUTO_ASSIGN,

	/** Its preferred agent cannot take it yet; it waits up to {@code preferredAgentWaitSeconds}. */
	PREFERRED_AGENT

}
