package io.autoassign.agent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.autoassign.security.Role;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code aa_agent} table.
 */
@Repository
class AgentRepository {

	private static final String COLUMNS = "company_id, agent_id, name, role, group_ids, status, status_changed_at, "
			+ "offline_process_id";

	private static final int ROLES_AT_ONCE = 500;

	private final JdbcTemplate jdbc;

	AgentRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Agent> find(String companyId, String agentId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_agent where company_id = ? and agent_id = ?",
				AgentRepository::map, companyId, agentId).stream().findFirst();
	}

	Optional<Agent> findForUpdate(String companyId, String agentId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_agent where company_id = ? and agent_id = ? for update",
				AgentRepository::map, companyId, agentId).stream().findFirst();
	}

	List<Agent> list(String companyId) {
		return this.jdbc.query("select " + COLUMNS + " from aa_agent where company_id = ? order by agent_id",
				AgentRepository::map, companyId);
	}

	List<String> idsWithRole(String companyId, Role role) {
		return this.jdbc.queryForList("select agent_id from aa_agent where company_id = ? and role = ? order by agent_id",
				String.class, companyId, role.name());
	}

	/** The current role of each of the agents that exists (at most {@value #ROLES_AT_ONCE} asked at once). */
	Map<String, Role> roles(String companyId, List<String> agentIds) {
		Map<String, Role> roles = new HashMap<>();
		for (int from = 0; from < agentIds.size(); from += ROLES_AT_ONCE) {
			List<String> some = agentIds.subList(from, Math.min(agentIds.size(), from + ROLES_AT_ONCE));
			Object[] arguments = new Object[some.size() + 1];
			arguments[0] = companyId;
			for (int i = 0; i < some.size(); i++) {
				arguments[i + 1] = some.get(i);
			}
			this.jdbc.query("select agent_id, role from aa_agent where company_id = ? and agent_id in ("
					+ String.join(", ", Collections.nCopies(some.size(), "?")) + ")",
					(rs) -> {
						roles.put(rs.getString(1), Role.valueOf(rs.getString(2)));
					}, arguments);
		}
		return roles;
	}

	void insert(Agent agent, Instant now) {
		this.jdbc.update("insert into aa_agent (" + COLUMNS + ", created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				agent.companyId(), agent.agentId(), agent.name(), agent.role().name(), String.join(",", agent.groupIds()),
				agent.status().name(), Timestamp.from(agent.statusChangedAt()), agent.offlineProcessId(),
				Timestamp.from(now), Timestamp.from(now));
	}

	void delete(String companyId, String agentId) {
		this.jdbc.update("delete from aa_agent where company_id = ? and agent_id = ?", companyId, agentId);
	}

	void updateProfile(Agent agent, Instant now) {
		this.jdbc.update("update aa_agent set name = ?, role = ?, group_ids = ?, updated_at = ? "
				+ "where company_id = ? and agent_id = ?", agent.name(), agent.role().name(),
				String.join(",", agent.groupIds()), Timestamp.from(now), agent.companyId(), agent.agentId());
	}

	void updateStatus(String companyId, String agentId, AgentStatus status, Instant now) {
		this.jdbc.update("update aa_agent set status = ?, status_changed_at = ?, updated_at = ? "
				+ "where company_id = ? and agent_id = ?", status.name(), Timestamp.from(now), Timestamp.from(now),
				companyId, agentId);
	}

	void updateOfflineProcess(String companyId, String agentId, String processInstanceId) {
		this.jdbc.update("update aa_agent set offline_process_id = ? where company_id = ? and agent_id = ?",
				processInstanceId, companyId, agentId);
	}

	/** Open chats held per agent: assigned ones, and for admins the ones taken over. */
	Map<String, Integer> activeChats(String companyId) {
		Map<String, Integer> counts = new HashMap<>();
		this.jdbc.query("select assigned_agent_id, count(*) from aa_chat where company_id = ? and status = 'OPEN' "
				+ "and assigned_agent_id is not null and assignment_status in ('ASSIGNED', 'TAKEN_OVER') "
				+ "group by assigned_agent_id",
				(rs) -> {
					counts.put(rs.getString(1), rs.getInt(2));
				}, companyId);
		return counts;
	}

	int activeChats(String companyId, String agentId) {
		Integer count = this.jdbc.queryForObject("select count(*) from aa_chat where company_id = ? and "
				+ "assigned_agent_id = ? and status = 'OPEN' and assignment_status in ('ASSIGNED', 'TAKEN_OVER')",
				Integer.class, companyId, agentId);
		return count == null ? 0 : count;
	}

	private static Agent map(ResultSet rs, int row) throws SQLException {
		String groups = rs.getString("group_ids");
		return new Agent(rs.getString("company_id"), rs.getString("agent_id"), rs.getString("name"),
				Role.valueOf(rs.getString("role")),
				groups == null || groups.isEmpty() ? List.of() : Arrays.asList(groups.split(",")),
				AgentStatus.valueOf(rs.getString("status")), rs.getTimestamp("status_changed_at").toInstant(),
				rs.getString("offline_process_id"));
	}

}
