package io.autoassign.chat;

/**
 * Why the platform closed a chat, when it says so ({@code POST .../close} with
 * {@code { "reason": ... }}): shown as {@code closeDetail} in the chat view and CHAT_CLOSED,
 * beside {@code closeReason} (which stays CLOSED for a close by the platform).
 */
public enum CloseDetail {

	/** The member's question was answered. */
	RESOLVED,

	/** The member left the conversation. */
	MEMBER_LEFT,

	/** The agent ended the conversation. */
	AGENT_ENDED,

	/** Spam or abuse. */
	SPAM,

	/** A duplicate of another chat. */
	DUPLICATE,

	/** Moved elsewhere (another channel or team). */
	TRANSFERRED,

	/** Any other reason. */
	OTHER

}
