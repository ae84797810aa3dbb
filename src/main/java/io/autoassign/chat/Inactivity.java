package io.autoassign.chat;

import java.time.Duration;
import java.time.Instant;

import io.autoassign.settings.AutoAssignConfig;

/**
 * When a chat's inactivity check is due and whether it is inactive. Messages only record
 * their time on the chat; the lifecycle's inactivity timer fires at the earliest moment the
 * chat could be inactive and this decides, so a busy chat costs no engine work per message.
 * While auto-close is off, the chat is checked again one threshold later, so that switching
 * auto-close on takes effect within one threshold.
 */
public final class Inactivity {

	private Inactivity() {
	}

	public static boolean inactive(Chat chat, AutoAssignConfig config, Instant now) {
		return config.autoCloseEnabled() && !dueAt(chat, config).isAfter(now);
	}

	public static Instant nextCheck(Chat chat, AutoAssignConfig config, Instant now) {
		Instant due = config.autoCloseEnabled() ? dueAt(chat, config) : now.plus(threshold(config));
		return due.isAfter(now) ? due : now.plus(threshold(config));
	}

	private static Instant dueAt(Chat chat, AutoAssignConfig config) {
		return chat.lastActivityAt().plus(threshold(config));
	}

	private static Duration threshold(AutoAssignConfig config) {
		return Duration.ofMinutes(config.inactivityThresholdMinutes());
	}

}
