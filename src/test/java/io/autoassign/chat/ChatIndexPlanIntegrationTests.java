package io.autoassign.chat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans PostgreSQL keeps for the service's prepared statements on {@code aa_chat}. A
 * prepared statement's generic plan is made once and kept until the next ANALYZE; made while
 * the table was small (a new deployment; autovacuum off or behind), any index beginning with
 * {@code company_id} looked as good as the primary key, and the hot single-chat updates then
 * walked every chat of the company (bench/RESULTS.md). Each case migrates a fresh schema with
 * the real migrations (an empty, never-analyzed table: the worst case) and asks for the generic
 * plan.
 */
@IntegrationTest
class ChatIndexPlanIntegrationTests {

	@Autowired
	DataSource dataSource;

	String schema;

	@BeforeEach
	void migrateFreshSchema() {
		this.schema = "plan_probe_" + Long.toHexString(System.nanoTime());
		Flyway.configure()
			.dataSource(this.dataSource)
			.schemas(this.schema)
			.createSchemas(true)
			.table("aa_schema_history")
			.locations("classpath:db/migration", "classpath:db/vendor/postgresql")
			.load()
			.migrate();
	}

	@AfterEach
	void dropSchema() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("drop schema " + this.schema + " cascade");
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
	}

	/** Statements of {@link ChatStore} that address one chat: only the primary key may serve them. */
	@ParameterizedTest
	@ValueSource(strings = {
			"select * from aa_chat where company_id = $1 and chat_id = $2",
			"select * from aa_chat where company_id = $1 and chat_id = $2 for update",
			"update aa_chat set assignment_status = 'ASSIGNED', waiting_for = null, assigned_agent_id = $3, "
					+ "assigned_at = now(), queued_at = null, queue_seq = null, queue_pool = null, "
					+ "event_seq = event_seq + 1 where company_id = $1 and chat_id = $2 returning event_seq",
			"update aa_chat set status = 'CLOSED', waiting_for = null, closed_at = now(), close_reason = $3, "
					+ "event_seq = event_seq + 1 where company_id = $1 and chat_id = $2 returning event_seq",
			"update aa_chat set last_message_sender = $3, last_activity_at = now() where company_id = $1 and chat_id = $2" })
	void singleChatStatementsUseThePrimaryKeyWhateverTheStatistics(String sql) throws SQLException {
		List<String> indexes = genericPlanIndexes(sql);

		assertThat(indexes).as(String.join("\n", this.plan)).containsOnly("aa_chat_pkey").isNotEmpty();
	}

	/**
	 * The batch statement that records new chats' process instances has a text per batch size
	 * and a join whose generic plan on a small table is a sequential scan; {@link ChatStore}
	 * therefore has it planned at each execution, with its values. Such a plan, on a table that
	 * grew to thousands of chats and was never analyzed, goes through the primary key.
	 */
	@Test
	void theProcessInstanceBatchIsPlannedWithItsValuesThroughThePrimaryKey() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			statement.execute("set local search_path = " + this.schema);
			// a scratch copy: its company row does not matter here
			statement.execute("alter table aa_chat drop constraint aa_chat_company");
			statement.execute("insert into aa_chat (company_id, chat_id, status, assignment_status, member_id, "
					+ "created_at, last_activity_at) select 'c', 'chat' || i, 'OPEN', 'ASSIGNED', 'm', now(), now() "
					+ "from generate_series(1, 5000) i");
			connection.commit();
			connection.setAutoCommit(autoCommit);
		}

		List<String> indexes = genericPlanIndexes("update aa_chat c set process_instance_id = v.pi from (values "
				+ "('c', 'chat17', 'p1'), ('c', 'chat4000', 'p2')) v(company_id, chat_id, pi) "
				+ "where c.company_id = v.company_id and c.chat_id = v.chat_id returning c.seq");

		assertThat(indexes).as(String.join("\n", this.plan)).containsOnly("aa_chat_pkey").isNotEmpty();
	}

	/** The routing queries over open chats still find their (partial) index. */
	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"select * from aa_chat where company_id = $1 and status = 'OPEN' and assignment_status = 'QUEUED' "
					+ "order by queue_seq limit 10 | aa_chat_open_queue",
			"select count(*) from aa_chat where company_id = $1 and status = 'OPEN' and assignment_status = 'QUEUED' "
					+ "and queue_seq <= $2 | aa_chat_open_queue",
			"select * from aa_chat where company_id = $1 and assigned_agent_id = $2 and status = 'OPEN' and "
					+ "assignment_status = 'ASSIGNED' order by assigned_at, seq for update | aa_chat_open_agent",
			"select assigned_agent_id, count(*) from aa_chat where company_id = $1 and status = 'OPEN' and "
					+ "assigned_agent_id is not null and assignment_status in ('ASSIGNED', 'TAKEN_OVER') "
					+ "group by assigned_agent_id | aa_chat_open_agent",
			"select * from aa_chat where company_id = $1 and status = 'OPEN' and assignment_status = 'PENDING' "
					+ "and waiting_for = 'AUTO_ASSIGN' order by seq limit 10 | aa_chat_open",
			// a rebuild of the Redis routing state, and the reconciler's look: open chats only,
			// never the company's history (RoutingRows)
			"select chat_id, assignment_status, assigned_agent_id, queue_seq, queue_pool from aa_chat "
					+ "where company_id = $1 and status = 'OPEN' and assignment_status in ('ASSIGNED', 'QUEUED') "
					+ "order by seq | aa_chat_open",
			"select chat_id, assignment_status, assigned_agent_id, queue_seq, queue_pool from aa_chat "
					+ "where company_id = $1 and status = 'OPEN' and assignment_status in ('ASSIGNED', 'QUEUED') "
					+ "| aa_chat_open",
			"select assigned_agent_id, max(assigned_at) from aa_chat where company_id = $1 and status = 'OPEN' "
					+ "and assigned_agent_id is not null group by assigned_agent_id | aa_chat_open_agent",
			"select assignment_status, assigned_agent_id, count(*) from aa_chat where company_id = $1 "
					+ "and status = 'OPEN' and assignment_status in ('ASSIGNED', 'QUEUED') "
					+ "group by assignment_status, assigned_agent_id | aa_chat_open" })
	void openChatQueriesUseTheirPartialIndex(String sql, String index) throws SQLException {
		assertThat(genericPlanIndexes(sql)).as(String.join("\n", this.plan)).contains(index);
	}

	private static final Pattern USING = Pattern.compile(" using (\\w+) on ");

	private final List<String> plan = new ArrayList<>();

	private List<String> genericPlanIndexes(String sql) throws SQLException {
		int parameters = Pattern.compile("\\$(\\d+)")
			.matcher(sql)
			.results()
			.mapToInt((m) -> Integer.parseInt(m.group(1)))
			.max()
			.orElse(0);
		// parameter types as the server infers them from the statement, as for the driver's
		List<String> values = new ArrayList<>();
		for (int i = 1; i <= parameters; i++) {
			values.add("'1'");
		}
		List<String> indexes = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				statement.execute("set local search_path = " + this.schema);
				statement.execute("set local plan_cache_mode = force_generic_plan");
				statement.execute("prepare probe as " + sql);
				try (ResultSet rows = statement.executeQuery(
						"explain execute probe" + (values.isEmpty() ? "" : "(" + String.join(", ", values) + ")"))) {
					while (rows.next()) {
						String line = rows.getString(1);
						this.plan.add(line);
						Matcher index = USING.matcher(line);
						if (index.find()) {
							indexes.add(index.group(1));
						}
						if (line.contains("Seq Scan on aa_chat")) {
							indexes.add("sequential scan");
						}
					}
				}
				statement.execute("deallocate probe");
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(autoCommit);
			}
		}
		return indexes;
	}

}
