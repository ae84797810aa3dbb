package io.autoassign.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.autoassign.domain.InvalidInputException;

/** The {@code cursor} of a delivery listing: opaque to clients (base64url of a versioned text). */
final class DeliveryCursor {

	private static final String PREFIX = "d1:";

	private DeliveryCursor() {
	}

	static String encode(long lastId) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
	}

	/** The id below which the page starts; {@code null} for no cursor. */
	static Long decode(String cursor) {
		if (cursor == null) {
			return null;
		}
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (text.startsWith(PREFIX)) {
				return Long.parseLong(text.substring(PREFIX.length()));
			}
		}
		catch (IllegalArgumentException ex) {
			// not a cursor of ours (NumberFormatException is one)
		}
		throw new InvalidInputException("cursor", "must be the 'next' value of an earlier page");
	}

}
