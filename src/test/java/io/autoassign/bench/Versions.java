package io.autoassign.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import redis.clients.jedis.Jedis;

/** The versions of the local servers, for the results' header. */
final class Versions {

	private Versions() {
	}

	static String postgres() {
		try (Connection connection = DriverManager.getConnection(AppNode.PG + "postgres", "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("show server_version")) {
			return rs.next() ? rs.getString(1) : "unknown";
		}
		catch (SQLException ex) {
			return "unknown";
		}
	}

	static String redis() {
		try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
			for (String line : jedis.info("server").split("\r?\n")) {
				if (line.startsWith("redis_version:")) {
					return line.substring("redis_version:".length());
				}
			}
			return "unknown";
		}
	}

}
