package io.autoassign.assignment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.autoassign.chat.AssignmentStatus;
import io.autoassign.chat.Chat;
import io.autoassign.chat.ChatStore;
import io.autoassign.events.EventOutbox;
import io.autoassign.settings.AutoAssignConfig;
import io.autoassign.settings.SettingsService;

import org.springframework.stereotype.Service;

/**
 * No-reply reassignment: the work of the lifecycle's "Check the member's wait for an answer".
 * <p>
 * The clock runs while a chat is ASSIGNED (not TAKEN_OVER) and its member waits for an answer:
 * from the later of the assignment and the first MEMBER message after the last AGENT message
 * (or from when it was started again). Messages only record their time (no engine command); the
 * check reads it when its timer falls due, and the timer is set to when the wait runs out, or,
 * while nobody waits, to one {@code noReplyMinutes} later (a wait that starts meanwhile runs out
 * after that look, which sets the timer to its end).
 * <p>
 * When the wait runs out: the chat goes to another agent the strategy picks in its pool, none
 * who missed it before (CHAT_UNASSIGNED NO_REPLY, CHAT_ASSIGNED), in one atomic step and one
 * transaction; when nobody may take it now (or outside business hours) it stays and the clock
 * starts again. Once {@code maxNoReplyReassignments} are spent it stays, and the admins get
 * CHAT_NO_REPLY_ESCALATED once per wait.
 */
@Service
public class NoReplyReassignment {

	/** What the lifecycle keeps between checks (its process variables), and what a check decided. */
	public record State(int reassignments, List<String> missedBy, Instant clockFrom, Instant escalatedFor) {

		public static final State NONE = new State(0, List.of(), null, null);

		public State {
			missedBy = List.copyOf(missedBy);
		}

	}

	/**
	 * A check's outcome: whether to go on watching, when to look next, and the state to keep
	 * ({@code changed} when it differs from the one given).
	 */
	public record Check(boolean keepWatching, Instant nextCheckAt, State state, boolean changed) {
	}

	private final SettingsService settings;

	private final ChatStore chats;

	private final Placements placements;

	private final EventOutbox events;

	private final Clock clock;

	NoReplyReassignment(SettingsService settings, ChatStore chats, Placements placements, EventOutbox events,
			Clock clock) {
		this.settings = settings;
		this.chats = chats;
		this.placements = placements;
		this.events = events;
		this.clock = clock;
	}

	/** Looks at the chat's member's wait; passes the chat on or asks the admins when it ran out. */
	public Check check(String companyId, String chatId, State state) {
		AutoAssignConfig config = this.settings.forRouting(companyId);
		if (!config.noReplyReassignEnabled()) {
			return new Check(false, null, state, false);
		}
		Chat chat = this.chats.find(companyId, chatId).orElse(null);
		if (chat == null || !chat.isOpen() || chat.assignmentStatus() == AssignmentStatus.TAKEN_OVER) {
			return new Check(false, null, state, false);
		}
		Instant now = this.clock.instant();
		Duration wait = Duration.ofMinutes(config.noReplyMinutes());
		Instant awaiting = chat.awaitingReplySince();
		if (awaiting == null) {
			// not with an agent, or the member does not wait
			return new Check(true, now.plus(wait), state, false);
		}
		Instant start = state.clockFrom() != null && state.clockFrom().isAfter(awaiting) ? state.clockFrom() : awaiting;
		if (start.plus(wait).isAfter(now)) {
			return new Check(true, start.plus(wait), state, false);
		}
		if (state.escalatedFor() != null && state.escalatedFor().equals(start)) {
			// the admins were asked for this wait already
			return new Check(true, now.plus(wait), state, false);
		}
		// The wait ran out: from here the chat is locked, as every routing step on it is.
		Chat locked = this.chats.lock(companyId, chatId).orElse(null);
		if (locked == null || !locked.isAssigned() || !locked.assignedAgentId().equals(chat.assignedAgentId())) {
			// it changed hands meanwhile: look again at once
			return new Check(true, now, state, false);
		}
		String agent = locked.assignedAgentId();
		if (state.reassignments() < config.maxNoReplyReassignments()) {
			Optional<String> next = Optional.empty();
			if (config.openAt(now)) {
				Set<String> excluded = new LinkedHashSet<>(state.missedBy());
				excluded.add(agent);
				next = this.placements.passOn(locked, ChatRouting.pool(locked, config), config.strategy(), excluded);
			}
			if (next.isPresent()) {
				List<String> missed = new ArrayList<>(state.missedBy());
				if (!missed.contains(agent)) {
					missed.add(agent);
				}
				return new Check(true, now.plus(wait),
						new State(state.reassignments() + 1, missed, state.clockFrom(), state.escalatedFor()), true);
			}
			// nobody else may take it now: it stays, and the clock starts again
			return new Check(true, now.plus(wait),
					new State(state.reassignments(), state.missedBy(), now, state.escalatedFor()), true);
		}
		this.events.chatNoReplyEscalated(companyId, chatId, agent, start, state.reassignments(), locked.eventSeq());
		return new Check(true, now.plus(wait),
				new State(state.reassignments(), state.missedBy(), state.clockFrom(), start), true);
	}

}
