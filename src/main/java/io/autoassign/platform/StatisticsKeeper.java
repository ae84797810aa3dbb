package io.autoassign.platform;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes PostgreSQL's planner statistics of the service's tables where autovacuum does not.
 *
 * <p>The engine's queries are planned from statistics, and PostgreSQL keeps a prepared
 * statement's plan until the next ANALYZE. Without autovacuum nothing ever analyzes the tables:
 * statistics taken when the runtime tables were nearly empty make message correlation check every
 * waiting chat's subscription, and closing chats slows down with the number of open ones
 * (bench/RESULTS.md). So, on PostgreSQL with {@code autovacuum = off}, this analyzes every table
 * of the service's schema that changed more than autovacuum's own threshold since its last
 * ANALYZE ({@code autovacuum_analyze_threshold} + {@code autovacuum_analyze_scale_factor} × rows),
 * one node of a cluster at a time. With autovacuum on (PostgreSQL's default) it does nothing.
 * {@code auto-assign.statistics-keeper=false} switches it off.
 */
@Component
class StatisticsKeeper {

	private static final Logger log = LoggerFactory.getLogger(StatisticsKeeper.class);

	/**
	 * Advisory lock key, in the two-integer key space ('AA', 'STAT'), apart from the one-bigint
	 * keys of CompanyLocks: one node analyzes at a time, the others skip that round.
	 */
	private static final int LOCK_CLASS = 0x4141;

	private static final int LOCK_ID = 0x53544154;

	private static final String STALE_TABLES = "select quote_ident(schemaname) || '.' || quote_ident(relname) "
			+ "from pg_stat_user_tables where schemaname = current_schema() and n_mod_since_analyze > "
			+ "current_setting('autovacuum_analyze_threshold')::int "
			+ "+ current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(n_live_tup, 0) order by relname";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final boolean active;

	StatisticsKeeper(Database database, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			@Value("${auto-assign.statistics-keeper:true}") boolean enabled) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.active = enabled && database.isPostgresWithoutAutovacuum();
		if (this.active) {
			log.warn("PostgreSQL runs with autovacuum off: the service refreshes the planner statistics of its tables "
					+ "itself (auto-assign.statistics-keeper=false stops it). Turning autovacuum on is better.");
		}
	}

	/** Whether this node keeps statistics (PostgreSQL, autovacuum off, not switched off). */
	public boolean isActive() {
		return this.active;
	}

	@Scheduled(fixedDelayString = "${auto-assign.statistics-interval:30s}",
			initialDelayString = "${auto-assign.statistics-interval:30s}")
	void scheduled() {
		if (!this.active) {
			return;
		}
		try {
			List<String> analyzed = refresh();
			if (!analyzed.isEmpty()) {
				log.debug("Analyzed {}", analyzed);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Refreshing planner statistics failed; next round retries: {}", ex.toString());
		}
	}

	/**
	 * Analyzes the tables of the current schema that changed more than autovacuum's threshold
	 * since their last ANALYZE, unless another node is doing so; answers the tables analyzed.
	 * (PostgreSQL counts changes asynchronously: a change may be seen a round later.)
	 */
	public List<String> refresh() {
		return this.transactions.execute((status) -> {
			if (!Boolean.TRUE.equals(this.jdbc.queryForObject("select pg_try_advisory_xact_lock(?, ?)", Boolean.class,
					LOCK_CLASS, LOCK_ID))) {
				return List.of();
			}
			List<String> stale = this.jdbc.queryForList(STALE_TABLES, String.class);
			for (String table : stale) {
				this.jdbc.execute("analyze " + table);
			}
			return stale;
		});
	}

}
