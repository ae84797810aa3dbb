package io.autoassign.agent;

import java.time.Duration;
import java.util.List;

import io.autoassign.domain.Identifiers;
import io.autoassign.security.Caller;
import io.autoassign.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/companies/{companyId}/agents")
@Tag(name = "Agents", description = "Agents and admins, their status and their tokens")
class AgentController {

	private final AgentService agents;

	AgentController(AgentService agents) {
		this.agents = agents;
	}

	record UpsertAgentRequest(@NotBlank @Size(max = 200) String name, @NotNull Role role,
			@Size(max = 100) List<@NotNull @Pattern(regexp = Identifiers.GROUP_PATTERN,
					message = Identifiers.GROUP_MESSAGE) String> groupIds) {
	}

	record StatusRequest(@NotNull AgentStatus status) {
	}

	record TokenRequest(@Min(1) @Max(525_600) Integer ttlMinutes) {
	}

	@PutMapping("/{agentId}")
	@Operation(operationId = "putAgent", summary = "Create (201) or update (200) an agent")
	ResponseEntity<AgentView> upsert(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String agentId, @Valid @RequestBody UpsertAgentRequest request) {
		caller.requirePlatform();
		Identifiers.company(companyId);
		Identifiers.agent(agentId);
		AgentService.Upserted result = this.agents.upsert(companyId, agentId, request.name(), request.role(),
				request.groupIds());
		return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.agent());
	}

	@DeleteMapping("/{agentId}")
	@Operation(operationId = "deleteAgent", summary = "Delete an agent (platform only): its chats are routed again, its sessions closed, its tokens refused")
	ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String agentId) {
		caller.requirePlatform();
		this.agents.delete(Identifiers.company(companyId), Identifiers.agent(agentId));
		return ResponseEntity.noContent().build();
	}

	@PutMapping("/{agentId}/status")
	@Operation(operationId = "setAgentStatus", summary = "Set an agent's status (the platform, or the agent itself)")
	AgentView status(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String agentId, @Valid @RequestBody StatusRequest request) {
		caller.requireSelf(Identifiers.company(companyId), Identifiers.agent(agentId));
		return this.agents.setStatus(companyId, agentId, request.status());
	}

	@GetMapping
	@Operation(operationId = "listAgents", summary = "All agents and admins of the company")
	List<AgentView> list(@AuthenticationPrincipal Caller caller, @PathVariable String companyId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.agents.list(companyId);
	}

	@GetMapping("/{agentId}")
	@Operation(operationId = "getAgent", summary = "One agent")
	AgentView get(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String agentId) {
		caller.requireAdminOf(Identifiers.company(companyId));
		return this.agents.get(companyId, Identifiers.agent(agentId));
	}

	@PostMapping("/{agentId}/tokens")
	@Operation(operationId = "createAgentToken", summary = "Mint a token for the agent (platform only)")
	ResponseEntity<IssuedToken> token(@AuthenticationPrincipal Caller caller, @PathVariable String companyId,
			@PathVariable String agentId, @Valid @RequestBody(required = false) TokenRequest request) {
		caller.requirePlatform();
		Identifiers.company(companyId);
		Identifiers.agent(agentId);
		Duration ttl = (request == null || request.ttlMinutes() == null) ? null
				: Duration.ofMinutes(request.ttlMinutes());
		return ResponseEntity.status(HttpStatus.CREATED).body(this.agents.issueToken(companyId, agentId, ttl));
	}

}
