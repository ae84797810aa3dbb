package io.autoassign.chat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.autoassign.domain.ConflictException;
import io.autoassign.domain.FieldError;
import io.autoassign.domain.ForbiddenException;
import io.autoassign.domain.Identifiers;
import io.autoassign.domain.InvalidInputException;
import io.autoassign.security.Caller;
import io.autoassign.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/companies/{companyId}/chats")
@Tag(name = "Chats", description = "Customer chats and their routing")
class ChatController {

	/** Longest message text (characters); the preview keeps it whole. */
	static final int MAX_TEXT = 10_000;

	private final ChatService chats;

	private final ChatIntake intake;

	private final ChatListing listing;

	ChatController(ChatService chats, ChatIntake intake, ChatListing listing) {
		this.chats = chats;
		this.intake = intake;
		this.listing = listing;
	}

	record MemberRequest(@NotBlank @Pattern(regexp = Identifiers.ID_PATTERN, message = Identifiers.ID_MESSAGE) String id,
			@Size(max = 200) String name) {
	}

	/** @param priority LOW, NORMAL (when omitted), HIGH or URGENT */
	record CreateChatRequest(
			@Pattern(regexp = Identifiers.ID_PATTERN, message = Identifiers.ID_MESSAGE) String chatId,
			@NotNull @Valid MemberRequest member, @Size(max = MAX_TEXT) String message, Priority priority,
			@Pattern(regexp = Identifiers.ID_PATTERN, message = Identifiers.ID_MESSAGE) String preferredAgentId) {
	}

	record PriorityRequest(@NotNull Priority priority) {
	}

	record MessageRequest(@NotNull Sender sender, @NotNull @Size(min = 1, max = MAX_TEXT) String text) {
	}

	record MenuSelectionRequest(
			@NotNull @Pattern(regexp = Identifiers.GROUP_PATTERN, message = Identifiers.GROUP_MESSAGE) String groupId) {
	}

	/** @param reason why the platform closes the chat (shown as closeDetail); may be omitted */
	record CloseRequest(CloseDetail reason) {
	}

	/** @param adminId who takes over; an admin's token may omit it (it takes over as itself) */
	record TakeoverRequest(@Pattern(regexp = Identifiers.ID_PATTERN, message = Identifiers.ID_MESSAGE) String adminId) {
	}

	@PostMapping
	@Operation(operationId = "createChat", summary = "Create a chat (201) or return the existing one with the same chatId (200)")
	ResponseEntity<ChatView> create(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@Valid @RequestBody CreateChatRequest request) {
		caller.requirePlatform();
		Identifiers.company(companyId);
		String chatId = request.chatId() != null ? request.chatId() : UUID.randomUUID().toString();
		if (request.preferredAgentId() != null) {
			this.chats.requireAgent(companyId, request.preferredAgentId(), "preferredAgentId");
		}
		ChatService.Created result = this.intake.create(new ChatService.NewChat(companyId, chatId,
				request.member().id(), request.member().name(), request.message(), request.priority(),
				request.preferredAgentId()));
		if (!result.created()) {
			sameChat(result.chat(), request);
		}
		return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.chat());
	}

	/**
	 * A post of an existing chat id answers the chat (200) only when it is the same chat: an open
	 * one, of the same member; anything else would be silently ignored.
	 */
	private static void sameChat(ChatView existing, CreateChatRequest request) {
		if (existing.status() == ChatStatus.CLOSED) {
			throw new ConflictException("Chat " + existing.chatId() + " exists and is closed; a chat id is not reused: "
					+ "post the new conversation with another chatId", "chatId");
		}
		if (!existing.member().id().equals(request.member().id())) {
			throw new ConflictException("Chat " + existing.chatId() + " exists with another member.id ("
					+ existing.member().id() + ")", "member.id");
		}
		if (!Objects.equals(existing.member().name(), request.member().name())) {
			throw new ConflictException("Chat " + existing.chatId() + " exists with another member.name", "member.name");
		}
	}

	/** The query parameters of the listing; any other is refused. */
	private static final Set<String> LIST_PARAMETERS = Set.of("status", "assignmentStatus", "agentId", "groupId",
			"updatedSince", "limit", "cursor");

	@GetMapping
	@Operation(operationId = "listChats", summary = "List chats for reconciliation: filters, chat id order, a page of at most limit "
			+ "(1..1000, default 100) and the next page's cursor (the platform and admins: every chat; "
			+ "an agent: the chats it holds or last held)")
	ChatListing.Page list(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@RequestParam Map<String, String> parameters) {
		Identifiers.company(companyId);
		caller.requireMemberOf(companyId);
		List<FieldError> errors = new ArrayList<>();
		for (String name : new TreeSet<>(parameters.keySet())) {
			if (!LIST_PARAMETERS.contains(name)) {
				errors.add(new FieldError(name, "is not a parameter of this listing"));
			}
		}
		ChatStatus status = constant(ChatStatus.class, "status", parameters.get("status"), errors);
		AssignmentStatus assignmentStatus = constant(AssignmentStatus.class, "assignmentStatus",
				parameters.get("assignmentStatus"), errors);
		String agentId = parameters.get("agentId");
		if (agentId != null && !agentId.matches(Identifiers.ID_PATTERN)) {
			errors.add(new FieldError("agentId", Identifiers.ID_MESSAGE));
		}
		String groupId = parameters.get("groupId");
		if (groupId != null && !groupId.matches(Identifiers.GROUP_PATTERN)) {
			errors.add(new FieldError("groupId", Identifiers.GROUP_MESSAGE));
		}
		Instant updatedSince = null;
		if (parameters.get("updatedSince") != null) {
			try {
				updatedSince = Instant.parse(parameters.get("updatedSince"));
			}
			catch (DateTimeParseException ex) {
				errors.add(new FieldError("updatedSince", "must be an ISO-8601 instant, e.g. 2026-01-31T09:00:00Z"));
			}
		}
		String limit = parameters.getOrDefault("limit", "100");
		if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > ChatListing.MAX_LIMIT) {
			errors.add(new FieldError("limit", "must be an integer between 1 and " + ChatListing.MAX_LIMIT));
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		if (caller instanceof Caller.Member member && member.role() != Role.ADMIN) {
			if (agentId != null && !agentId.equals(member.agentId())) {
				throw new ForbiddenException("An agent may only list its own chats");
			}
			agentId = member.agentId();
		}
		return this.listing.list(companyId, new ChatFilter(status, assignmentStatus, agentId, groupId, updatedSince),
				parameters.get("cursor"), Integer.parseInt(limit));
	}

	private static <E extends Enum<E>> E constant(Class<E> type, String name, String value, List<FieldError> errors) {
		if (value == null) {
			return null;
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equals(value)) {
				return constant;
			}
		}
		errors.add(new FieldError(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())));
		return null;
	}

	@GetMapping("/{chatId}")
	@Operation(operationId = "getChat", summary = "A chat (the platform, an admin, or the agent it is assigned to)")
	ChatView get(@AuthenticationPrincipal Caller caller, @PathVariable String companyId, @PathVariable String chatId) {
		Identifiers.company(companyId);
		Identifiers.chat(chatId);
		caller.requireMemberOf(companyId);
		Chat chat = this.chats.get(companyId, chatId);
		caller.requireChatReader(companyId, chat.assignedAgentId());
		return this.chats.view(chat);
	}

	@PostMapping("/{chatId}/messages")
	@Operation(operationId = "recordMessage", summary = "Record a message (activity for auto-close and re-balancing; the last-message preview)")
	ResponseEntity<Void> message(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String chatId, @Valid @RequestBody MessageRequest request) {
		caller.requirePlatform();
		this.chats.message(Identifiers.company(companyId), Identifiers.chat(chatId), request.sender(), request.text());
		return ResponseEntity.accepted().build();
	}

	@PostMapping("/{chatId}/menu-selection")
	@Operation(operationId = "selectMenu", summary = "The customer's Auto-Menu choice; 409 when the chat is not waiting for one")
	ResponseEntity<Void> menuSelection(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String chatId, @Valid @RequestBody MenuSelectionRequest request) {
		caller.requirePlatform();
		this.chats.selectMenu(Identifiers.company(companyId), Identifiers.chat(chatId), request.groupId());
		return ResponseEntity.accepted().build();
	}

	@PostMapping("/{chatId}/takeover")
	@Operation(operationId = "takeOverChat", summary = "An admin takes the chat over (an admin's token may omit adminId: itself); 403 when "
			+ "adminId is not an admin, 409 when closed")
	ChatView takeover(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String chatId, @Valid @RequestBody(required = false) TakeoverRequest request) {
		caller.requireAdminOf(Identifiers.company(companyId));
		String adminId = request == null ? null : request.adminId();
		if (caller instanceof Caller.Member member) {
			if (adminId != null && !member.agentId().equals(adminId)) {
				throw new ForbiddenException("An admin may only take chats over as itself");
			}
			adminId = member.agentId();
		}
		else if (adminId == null) {
			throw new InvalidInputException("adminId", "must be given by the platform (an admin's token may omit it)");
		}
		return this.chats.takeOver(companyId, Identifiers.chat(chatId), adminId);
	}

	@PutMapping("/{chatId}/priority")
	@Operation(operationId = "setChatPriority", summary = "Change the chat's priority (LOW, NORMAL, HIGH, URGENT); a queued "
			+ "chat moves to its new place (CHAT_PRIORITY_CHANGED with its old and new position); 409 when closed")
	ChatView priority(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String chatId, @Valid @RequestBody PriorityRequest request) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.chats.setPriority(companyId, Identifiers.chat(chatId), request.priority());
	}

	@PostMapping("/{chatId}/close")
	@Operation(operationId = "closeChat", summary = "Close the chat (idempotent), optionally saying why: "
			+ "RESOLVED, MEMBER_LEFT, AGENT_ENDED, SPAM, DUPLICATE, TRANSFERRED or OTHER (closeDetail)")
	ChatView close(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String chatId, @Valid @RequestBody(required = false) CloseRequest request) {
		caller.requirePlatform();
		return this.chats.close(Identifiers.company(companyId), Identifiers.chat(chatId),
				request == null ? null : request.reason());
	}

}
