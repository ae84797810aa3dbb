package io.autoassign.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No one who reaches a login can lock the operator out: failed logins are throttled per client
 * address (each test speaks from a loopback address of its own, 127.0.0.x), not per user; the
 * account never locks; and the configured password and an unlocked account apply at every start.
 */
@IntegrationTest
class OperatorLoginIntegrationTests {

	static final String PASSWORD = "test-admin-password";

	@Autowired
	Api api;

	@Autowired
	IdentityService identity;

	@Autowired
	AdminAccount adminAccount;

	@Autowired
	JdbcTemplate jdbc;

	@AfterEach
	void configuredAccountAgain() {
		this.adminAccount.applyConfiguration();
	}

	@Test
	void failedLoginsThrottleTheAddressTheyComeFromNotTheOperator() {
		String attacker = "127.0.0.2";
		for (int attempt = 0; attempt < LoginThrottle.MAX_FAILURES; attempt++) {
			assertThat(send(attacker, "GET", "/engine-rest/process-definition", basic("admin", "guess" + attempt), null)
				.status()).as("attempt %d", attempt).isEqualTo(401);
		}
		Reply throttled = send(attacker, "GET", "/engine-rest/process-definition", basic("admin", PASSWORD), null);
		assertThat(throttled.status()).as("even the right password, from that address").isEqualTo(429);
		assertThat(Long.parseLong(throttled.headers().get("retry-after"))).isBetween(1L,
				LoginThrottle.WINDOW.toSeconds());
		assertThat(send(attacker, "GET", "/actuator/info", basic("admin", PASSWORD), null).status()).isEqualTo(429);

		// more failures from a second address: past Camunda's default permanent lock (10)
		for (int attempt = 0; attempt < 5; attempt++) {
			assertThat(send("127.0.0.3", "GET", "/actuator/info", basic("admin", "again" + attempt), null).status())
				.isEqualTo(401);
		}
		// the operator, elsewhere, at once: no delay, no lock
		assertThat(send("127.0.0.1", "GET", "/engine-rest/process-definition", basic("admin", PASSWORD), null).status())
			.isEqualTo(200);
		assertThat(this.identity.checkPassword("admin", PASSWORD)).isTrue();
	}

	@Test
	void theWebappLoginFormIsThrottledToo() {
		String attacker = "127.0.0.4";
		String path = "/camunda/api/admin/auth/user/default/login/cockpit";
		// as a browser does: the page sets Camunda's CSRF cookie (and session), the login echoes it
		Map<String, String> cookies = new LinkedHashMap<>();
		for (String cookie : send(attacker, "GET", "/camunda/app/cockpit/default/", null, null).headers()
			.get("set-cookie")
			.split("\n")) {
			String pair = cookie.split(";", 2)[0];
			cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
		}
		Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded", "X-XSRF-TOKEN",
				cookies.get("XSRF-TOKEN"), "Cookie", String.join("; ",
						cookies.entrySet().stream().map((c) -> c.getKey() + "=" + c.getValue()).toList()));
		for (int attempt = 0; attempt < LoginThrottle.MAX_FAILURES; attempt++) {
			int status = send(attacker, "POST", path, null, "username=admin&password=guess" + attempt, form).status();
			assertThat(status).as("attempt %d", attempt).isEqualTo(401);
		}
		assertThat(send(attacker, "POST", path, null, "username=admin&password=" + PASSWORD, form).status())
			.isEqualTo(429);
	}

	@Test
	void theConfiguredPasswordAndAnUnlockedAccountApplyAtStart() {
		// the account as an older version left it: another password, locked for good
		User admin = this.identity.createUserQuery().userId("admin").singleResult();
		admin.setPassword("an-old-password");
		this.identity.saveUser(admin);
		this.jdbc.update("update ACT_ID_USER set ATTEMPTS_ = 10, LOCK_EXP_TIME_ = ? where ID_ = 'admin'",
				java.sql.Timestamp.valueOf("2999-01-01 00:00:00"));
		assertThat(this.identity.checkPassword("admin", "an-old-password")).as("locked").isFalse();

		this.adminAccount.applyConfiguration();

		assertThat(this.identity.checkPassword("admin", PASSWORD)).isTrue();
		assertThat(this.identity.checkPassword("admin", "an-old-password")).isFalse();
		assertThat(send("127.0.0.5", "GET", "/actuator/info", basic("admin", PASSWORD), null).status()).isEqualTo(200);
	}

	@Test
	void anonymousHealthShowsEachComponentsStatusButNoDetails() {
		Reply anonymous = send("127.0.0.6", "GET", "/actuator/health", null, null);
		assertThat(anonymous.status()).isEqualTo(200);
		assertThat(anonymous.body()).contains("\"db\":{\"status\":\"UP\"}").contains("\"redis\":{\"status\":\"UP\"}")
			.doesNotContain("details")
			.doesNotContain("PostgreSQL");
		Reply operator = send("127.0.0.6", "GET", "/actuator/health", basic("admin", PASSWORD), null);
		assertThat(operator.body()).contains("\"database\":\"PostgreSQL\"");
	}

	record Reply(int status, Map<String, String> headers, String body) {
	}

	private Reply send(String from, String method, String path, String authorization, String body) {
		return send(from, method, path, authorization, body, Map.of());
	}

	/** One HTTP/1.1 exchange from the given local address (the address the service sees). */
	private Reply send(String from, String method, String path, String authorization, String body,
			Map<String, String> headers) {
		URI base = URI.create(this.api.base());
		byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
		StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Connection: close\r\nContent-Length: " + content.length + "\r\n");
		if (authorization != null) {
			request.append("Authorization: ").append(authorization).append("\r\n");
		}
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		request.append("\r\n");
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(from, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
			out.write(content);
			out.flush();
			return parse(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Reply parse(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		in.transferTo(all);
		String text = all.toString(StandardCharsets.UTF_8);
		int end = text.indexOf("\r\n\r\n");
		String[] lines = text.substring(0, end).split("\r\n");
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.merge(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
					lines[i].substring(colon + 1).trim(), (a, b) -> a + "\n" + b);
		}
		return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
