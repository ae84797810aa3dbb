package io.autoassign.platform;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * Which database the service runs on. The SQL is portable except for locking: PostgreSQL has
 * advisory locks for a cluster of nodes, the embedded H2 run is one node.
 */
@Component
public class Database {

	private final boolean postgres;

	Database(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
		}
	}

	public boolean isPostgres() {
		return this.postgres;
	}

}
