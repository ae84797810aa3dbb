package io.autoassign.assignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.autoassign.chat.Chat;

import org.springframework.transaction.support.TransactionSynchronization;

/**
 * What the current transaction did to Redis. Redis does not take part in the database
 * transaction, so once the transaction completes:
 * <ul>
 * <li>committed: what it gave up is finished (slots given back, queued chats taken out of the
 * queue, by {@code finish.lua} with this journal's token, so nothing a later transaction started
 * is touched), and the queue is dispatched where capacity or queued chats appeared;</li>
 * <li>rolled back: the chats, agents and configurations it wrote are rewritten from the
 * database, and companies whose state was missing are rebuilt.</li>
 * </ul>
 * It also remembers which chats the transaction has touched, so that only its first step on a
 * chat settles that chat from the committed row.
 */
final class RoutingJournal implements TransactionSynchronization {

	record ChatRef(String companyId, String chatId) {
	}

	record AgentRef(String companyId, String agentId) {
	}

	/** Names this transaction in the marks it leaves in Redis ({@code c:leaving}, {@code c:deq}). */
	final String token;

	final Set<ChatRef> chats = new LinkedHashSet<>();

	final Set<AgentRef> agents = new LinkedHashSet<>();

	final Set<String> configs = new LinkedHashSet<>();

	final Set<String> missing = new LinkedHashSet<>();

	/** Per company, the chats whose slot or queue place this transaction gives up once committed. */
	final Map<String, List<String>> finishing = new LinkedHashMap<>();

	/** Companies whose queue may have something to dispatch once this transaction committed. */
	final Set<String> dispatch = new LinkedHashSet<>();

	private final RoutingRepair repair;

	RoutingJournal(String token, RoutingRepair repair) {
		this.token = token;
		this.repair = repair;
	}

	/**
	 * The chat's row as committed, to settle with, on this transaction's first step on the chat;
	 * {@code null} afterwards (Redis then already holds this transaction's own view).
	 */
	RoutingScripts.Committed committed(Chat chat) {
		return this.chats.add(new ChatRef(chat.companyId(), chat.chatId())) ? RoutingScripts.Committed.of(chat) : null;
	}

	void touched(String companyId, String chatId) {
		this.chats.add(new ChatRef(companyId, chatId));
	}

	void finishing(Chat chat) {
		List<String> chatIds = this.finishing.computeIfAbsent(chat.companyId(), (c) -> new ArrayList<>());
		if (!chatIds.contains(chat.chatId())) {
			chatIds.add(chat.chatId());
		}
	}

	void dispatchAfterCommit(String companyId) {
		this.dispatch.add(companyId);
	}

	@Override
	public void afterCompletion(int status) {
		if (status == STATUS_COMMITTED) {
			this.repair.afterCommit(this);
		}
		else {
			this.repair.afterRollback(this);
		}
	}

}
