package io.autoassign.platform;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The statistics keeper analyzes, on PostgreSQL, the tables that changed more than autovacuum's
 * threshold, and leaves the others alone.
 */
@IntegrationTest
class StatisticsKeeperIntegrationTests {

	@Autowired
	StatisticsKeeper keeper;

	@Autowired
	JdbcTemplate jdbc;

	String busy;

	String quiet;

	@BeforeEach
	void tables() {
		String suffix = Long.toHexString(System.nanoTime());
		this.busy = "keeper_busy_" + suffix;
		this.quiet = "keeper_quiet_" + suffix;
		this.jdbc.execute("create table " + this.busy + " (id int primary key, name text)");
		this.jdbc.execute("create table " + this.quiet + " (id int primary key, name text)");
		this.jdbc.update("insert into " + this.busy + " select i, 'n' || i from generate_series(1, 2000) i");
		this.jdbc.update("insert into " + this.quiet + " select i, 'n' || i from generate_series(1, 10) i");
	}

	@AfterEach
	void drop() {
		this.jdbc.execute("drop table if exists " + this.busy);
		this.jdbc.execute("drop table if exists " + this.quiet);
	}

	@Test
	void analyzesTheTablesThatChangedBeyondAutovacuumsThresholdOnly() {
		// PostgreSQL publishes the counts of changes asynchronously
		await().atMost(Duration.ofSeconds(30)).until(() -> modifiedSinceAnalyze(this.busy) >= 2000);
		assertThat(reltuples(this.busy)).as("never analyzed").isEqualTo(-1);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.keeper.refresh().stream().anyMatch((table) -> table.endsWith("." + this.busy)));

		// ANALYZE wrote the row estimate to the catalog
		assertThat(reltuples(this.busy)).isEqualTo(2000);
		// 10 changes are below autovacuum's threshold (50 + 10% of the rows)
		assertThat(reltuples(this.quiet)).isEqualTo(-1);
	}

	@Test
	void isActiveExactlyWhenAutovacuumIsOff() {
		String autovacuum = this.jdbc.queryForObject("show autovacuum", String.class);

		assertThat(this.keeper.isActive()).isEqualTo("off".equals(autovacuum));
	}

	private long modifiedSinceAnalyze(String table) {
		Long count = this.jdbc.queryForObject(
				"select coalesce(max(n_mod_since_analyze), 0) from pg_stat_user_tables where relname = ?", Long.class, table);
		return count == null ? 0 : count;
	}

	private double reltuples(String table) {
		Double tuples = this.jdbc.queryForObject("select reltuples from pg_class where relname = ?", Double.class, table);
		return tuples == null ? Double.NaN : tuples;
	}

}
