package io.autoassign.chat;

public enum CloseReason {

	/** Closed by the host platform. */
	CLOSED,

	/** Closed automatically after the company's inactivity threshold. */
	INACTIVITY,
	/** Closed because an operator cancelled the chat's lifecycle (Cockpit, engine REST API). */
	CANCELLED

}
