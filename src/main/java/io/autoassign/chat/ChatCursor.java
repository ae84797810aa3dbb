package io.autoassign.chat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.autoassign.domain.InvalidInputException;

/**
 * The {@code cursor} of a chat listing: the position after which the next page starts, opaque
 * to clients (base64url of a versioned text), so that its form may change.
 */
final class ChatCursor {

	private static final String PREFIX = "c1:";

	private ChatCursor() {
	}

	static String encode(String lastChatId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + lastChatId).getBytes(StandardCharsets.UTF_8));
	}

	/** The chat id after which the page starts; {@code null} for no cursor. */
	static String decode(String cursor) {
		if (cursor == null) {
			return null;
		}
		String text;
		try {
			text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			text = "";
		}
		if (!text.startsWith(PREFIX) || text.length() == PREFIX.length() || text.length() > PREFIX.length() + 128) {
			throw new InvalidInputException("cursor", "must be the 'next' value of an earlier page");
		}
		return text.substring(PREFIX.length());
	}

}
