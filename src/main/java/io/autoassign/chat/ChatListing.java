package io.autoassign.chat;

import java.util.List;

import io.autoassign.domain.NotFoundException;
import io.autoassign.settings.SettingsService;

import org.springframework.stereotype.Component;

/**
 * A company's chats page by page, for a platform that reconciles its records with ours (the REST
 * listing, and the platform's sync on subscribing): chat id order, keyset pagination on the
 * primary key, an opaque cursor to the next page.
 */
@Component
public class ChatListing {

	/** Most chats one page holds. */
	public static final int MAX_LIMIT = 1000;

	private final ChatStore chats;

	private final SettingsService settings;

	ChatListing(ChatStore chats, SettingsService settings) {
		this.chats = chats;
		this.settings = settings;
	}

	/** A page: the chats, and the cursor of the next page ({@code null} after the last). */
	public record Page(List<ChatView> chats, String next) {
	}

	/**
	 * The company's chats that pass {@code filter}, {@code limit} at most, after the position
	 * {@code cursor} names ({@code null}: from the start).
	 */
	public Page list(String companyId, ChatFilter filter, String cursor, int limit) {
		if (!this.settings.exists(companyId)) {
			throw NotFoundException.company(companyId);
		}
		List<Chat> found = this.chats.page(companyId, filter, ChatCursor.decode(cursor), limit + 1);
		boolean more = found.size() > limit;
		List<Chat> page = more ? found.subList(0, limit) : found;
		return new Page(this.chats.views(companyId, page),
				more ? ChatCursor.encode(page.get(page.size() - 1).chatId()) : null);
	}

}
