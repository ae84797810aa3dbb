package io.autoassign.platform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Which database the service runs on. The SQL is portable except for locking: PostgreSQL has
 * advisory locks for a cluster of nodes, the embedded H2 run is one node.
 */
@Component
public class Database {

	private static final Logger log = LoggerFactory.getLogger(Database.class);

	private final boolean postgres;

	private final boolean autovacuumOff;

	Database(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
			this.autovacuumOff = this.postgres && autovacuumOff(connection);
		}
	}

	public boolean isPostgres() {
		return this.postgres;
	}

	/**
	 * Whether this is PostgreSQL running with {@code autovacuum = off}: the service then analyzes
	 * (and vacuums its event log) itself.
	 */
	public boolean isPostgresWithoutAutovacuum() {
		return this.autovacuumOff;
	}

	private static boolean autovacuumOff(Connection connection) {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("show autovacuum")) {
			return result.next() && "off".equalsIgnoreCase(result.getString(1));
		}
		catch (SQLException ex) {
			log.warn("Could not read PostgreSQL's autovacuum setting: {}", ex.toString());
			return false;
		}
	}

}
