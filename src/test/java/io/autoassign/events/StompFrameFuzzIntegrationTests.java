package io.autoassign.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.spring.JqwikSpringSupport;
import org.springframework.beans.factory.annotation.Autowired;

import io.autoassign.support.Api;
import io.autoassign.support.IntegrationTest;
import io.autoassign.support.RawStompSocket;
import io.autoassign.support.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based bad STOMP frames over a real WebSocket ({@link RawStompSocket} sends any
 * bytes): broken or unauthenticated CONNECT frames, CONNECT without a supported protocol
 * version, frames before CONNECT, and after a valid CONNECT every frame a client must not send
 * (SUBSCRIBE without an id or to another destination, SEND, MESSAGE, transactions, unknown
 * commands, broken headers, frames above the 16 KiB limit). Each must be answered with an
 * ERROR frame or a closed connection, never CONNECTED or a subscription; an admin of the same
 * company, subscribed meanwhile, must receive nothing a client forged; and the company's state
 * is unchanged. {@link #validFramesAreAccepted()} is the control.
 */
@JqwikSpringSupport
@IntegrationTest
class StompFrameFuzzIntegrationTests {

	private static final Duration ANSWER = Duration.ofSeconds(10);

	private static final String company = Api.newCompany();

	/** The chat id in every event a test forges. */
	private static final String FORGED = "forged-chat";

	private static volatile Fixture fixture;

	@Autowired
	Api api;

	/** An agent's token for the attacking sessions, and an admin's session listening for forgeries. */
	record Fixture(String agentToken, StompTestClient admin) {
	}

	// ---- properties ----

	@Property(tries = 150)
	void badConnectFramesAreRefused(@ForAll("badConnects") String frame) {
		fixture();
		String before = snapshot();
		try (RawStompSocket socket = RawStompSocket.open(this.api.base())) {
			RawStompSocket.Answer answer = socket.send(frame).await("ERROR", ANSWER);
			assertThat(answer.commands()).as("answer to %s", show(frame)).doesNotContain("CONNECTED");
			assertThat(answer.refused()).as("refused %s: %s", show(frame), answer).isTrue();
		}
		assertThat(snapshot()).isEqualTo(before);
	}

	@Property(tries = 200)
	void forbiddenFramesAfterConnectAreRefused(@ForAll("forbiddenFrames") Tuple.Tuple2<Integer, byte[]> frame) {
		Fixture f = fixture();
		String before = snapshot();
		try (RawStompSocket socket = RawStompSocket.open(this.api.base())) {
			RawStompSocket.Answer connected = socket.send(connect("Bearer " + f.agentToken(), "1.2"))
				.await("CONNECTED", ANSWER);
			assertThat(connected.commands()).contains("CONNECTED");
			RawStompSocket.Answer answer = socket.send(frame.get1(), frame.get2()).await("ERROR", ANSWER);
			String shown = show(new String(frame.get2(), StandardCharsets.UTF_8));
			assertThat(answer.commands()).as("answer to %s", shown).doesNotContain("MESSAGE", "RECEIPT");
			assertThat(answer.refused()).as("refused %s: %s", shown, answer).isTrue();
		}
		assertThat(f.admin().messages()).as("what the admin received")
			.noneMatch((m) -> m.toString().contains(FORGED));
		assertThat(f.admin().errors()).isEmpty();
		assertThat(snapshot()).isEqualTo(before);
	}

	/**
	 * The forgery an earlier run found, pinned: an agent's MESSAGE frame addressed to an admin's
	 * queue must not reach the admin (checked after an event that is really for the admin has
	 * arrived: a session's messages leave in order) and must be refused.
	 */
	@Example
	void forgedMessageFramesReachNobody() {
		Fixture f = fixture();
		String victim = "/user/" + StompUser.name(company, "boss") + "/queue/auto-assign";
		RawStompSocket.Answer answer;
		try (RawStompSocket socket = RawStompSocket.open(this.api.base())) {
			socket.send(connect("Bearer " + f.agentToken(), "1.2")).await("CONNECTED", ANSWER);
			answer = socket.send("MESSAGE\ndestination:" + victim + "\nsubscription:s-1\nmessage-id:m-1\n"
					+ "content-type:application/json\n\n{\"type\":\"CHAT_ASSIGNED\",\"chatId\":\"" + FORGED + "\"}\0")
				.await("ERROR", ANSWER);
		}
		String probe = "probe-" + System.nanoTime();
		assertThat(this.api.put("/api/v1/companies/" + company + "/agents/" + probe, Map.of("name", "P", "role", "AGENT"))
			.status()).isEqualTo(201);
		f.admin().awaitMessage((m) -> probe.equals(m.path("agent").path("agentId").asText())
				|| probe.equals(m.path("agentId").asText()));
		assertThat(f.admin().messages()).as("what the admin received").noneMatch((m) -> m.toString().contains(FORGED));
		assertThat(answer.refused()).as("answer to the forged MESSAGE: %s", answer).isTrue();
	}

	/** The control: the raw socket's valid CONNECT and SUBSCRIBE get CONNECTED and the sync. */
	@Example
	void validFramesAreAccepted() {
		Fixture f = fixture();
		try (RawStompSocket socket = RawStompSocket.open(this.api.base())) {
			assertThat(socket.send(connect("Bearer " + f.agentToken(), "1.2")).await("CONNECTED", ANSWER).commands())
				.containsExactly("CONNECTED");
			RawStompSocket.Answer sync = socket.send("SUBSCRIBE\nid:s-1\ndestination:/user/queue/auto-assign\n\n\0")
				.await("MESSAGE", ANSWER);
			assertThat(sync.commands()).containsExactly("MESSAGE");
			assertThat(sync.frames().get(0)).contains("CHAT_ASSIGNMENT_SYNC");
		}
		try (RawStompSocket socket = RawStompSocket.open(this.api.base())) {
			assertThat(socket.send(connect("Bearer " + f.agentToken(), "1.0,1.1")).await("CONNECTED", ANSWER).commands())
				.containsExactly("CONNECTED");
		}
	}

	@AfterContainer
	static void closeAdminSession() {
		if (fixture != null) {
			fixture.admin().close();
		}
	}

	// ---- generators ----

	@Provide
	Arbitrary<String> badConnects() {
		Arbitrary<String> noCredential = Arbitraries.of("", "Authorization:\n", "Authorization:Bearer\n",
				"Authorization:Bearer \n", "Authorization:Basic YWRtaW46YWRtaW4=\n", "authorization:Bearer x\n",
				"Authorization:Bearer test-platform-key\n", "Authorization:Bearer test-platform-key\ncompany-id:\n",
				"Authorization:Bearer test-platform-key\ncompany-id:a/b\n",
				"Authorization:Bearer test-platform-key\ncompany-id:" + "c".repeat(65) + "\n")
			.map((headers) -> "CONNECT\naccept-version:1.2\nhost:localhost\n" + headers + "\n\0");
		Arbitrary<String> garbageToken = Arbitraries.strings()
			.withCharRange('!', '~')
			.ofMinLength(1)
			.ofMaxLength(300)
			.map((token) -> connect("Bearer " + token, "1.2"));
		Arbitrary<String> unsupportedVersion = Arbitraries.of("1.0", "1.3", "2.0", "abc", "1.2x", "1,2", " 1.2", "0")
			.map((version) -> connect("Bearer " + fixture().agentToken(), version));
		Arbitrary<String> notConnect = Arbitraries.of("SUBSCRIBE\nid:1\ndestination:/user/queue/auto-assign\n\n\0",
				"SEND\ndestination:/app/x\n\nhi\0", "MESSAGE\ndestination:/user/queue/auto-assign\n\n{}\0", "ACK\nid:1\n\n\0",
				"BEGIN\ntransaction:t\n\n\0", "FOO\n\n\0", "connect\naccept-version:1.2\n\n\0", "CONNECTED\nversion:1.2\n\n\0",
				"ERROR\n\n\0", "CONNECT\nfoo\n\n\0", "CONNECT\na:b\\x\n\n\0",
				"CONNECT\ncontent-length:abc\n\n\0", "CONNECT\ncontent-length:-5\n\n\0");
		Arbitrary<String> garbage = Arbitraries.strings()
			.ofMinLength(1)
			.ofMaxLength(200)
			.filter((text) -> !text.isBlank())
			.map((text) -> text + "\n\n\0");
		return Arbitraries.frequencyOf(Tuple.of(2, noCredential), Tuple.of(2, garbageToken),
				Tuple.of(2, unsupportedVersion), Tuple.of(2, notConnect), Tuple.of(1, garbage));
	}

	@Provide
	Arbitrary<Tuple.Tuple2<Integer, byte[]>> forbiddenFrames() {
		String victim = "/user/" + StompUser.name(company, "boss") + "/queue/auto-assign";
		Arbitrary<String> subscribeWithoutId = Arbitraries.of("SUBSCRIBE\ndestination:/user/queue/auto-assign\n\n\0",
				"SUBSCRIBE\nid:\ndestination:/user/queue/auto-assign\n\n\0", "SUBSCRIBE\nid:1\n\n\0",
				"SUBSCRIBE\n\n\0");
		Arbitrary<String> otherDestination = Arbitraries
			.oneOf(Arbitraries.of(victim, "/queue/auto-assign", "/user/queue/other", "/topic/auto-assign",
					"/app/auto-assign", "/user/queue/auto-assign/x", "/user/queue/auto-assign ", "/user//queue/auto-assign",
					"/user/queue/auto-assign-user1", "/queue/auto-assign-user" + "x", ""),
					Arbitraries.strings().withCharRange('!', '~').ofMaxLength(80))
			.filter((destination) -> !destination.equals("/user/queue/auto-assign"))
			.map((destination) -> "SUBSCRIBE\nid:s-9\ndestination:" + destination.replace("\\", "\\\\").replace(":", "\\c")
					+ "\n\n\0");
		Arbitrary<String> clientSends = Combinators
			.combine(Arbitraries.of("SEND", "MESSAGE"),
					Arbitraries.of(victim, "/user/queue/auto-assign", "/queue/auto-assign", "/app/x", "/topic/x",
							"/queue/auto-assign-user" + "abc"))
			.as((command, destination) -> command + "\ndestination:" + destination
					+ "\nsubscription:s-1\nmessage-id:m-1\ncontent-type:application/json\n\n"
					+ "{\"type\":\"CHAT_ASSIGNED\",\"companyId\":\"" + company + "\",\"chatId\":\"" + FORGED + "\"}\0");
		Arbitrary<String> otherCommands = Arbitraries.of("ACK\nid:1\n\n\0", "NACK\nid:1\n\n\0",
				"BEGIN\ntransaction:t-1\n\n\0", "COMMIT\ntransaction:t-1\n\n\0", "ABORT\ntransaction:t-1\n\n\0",
				"FOO\n\n\0", "subscribe\nid:1\ndestination:/user/queue/auto-assign\n\n\0", "CONNECTED\n\n\0",
				"RECEIPT\nreceipt-id:1\n\n\0", "ERROR\nmessage:x\n\n\0",
				"SUBSCRIBE\nid:1\ndestination:/user/queue/auto-assign\nfoo\n\n\0",
				"SUBSCRIBE\nid:1\ndestination:/user/queue/auto-assign\\x\n\n\0");
		Arbitrary<Tuple.Tuple2<Integer, byte[]>> text = Arbitraries
			.frequencyOf(Tuple.of(2, subscribeWithoutId), Tuple.of(3, otherDestination), Tuple.of(3, clientSends),
					Tuple.of(2, otherCommands))
			.flatMap((frame) -> Arbitraries.of(RawStompSocket.TEXT, RawStompSocket.BINARY)
				.map((opcode) -> Tuple.of(opcode, frame.getBytes(StandardCharsets.UTF_8))));
		Arbitrary<Tuple.Tuple2<Integer, byte[]>> oversized = Arbitraries.integers()
			.between(16 * 1024 + 1, 40 * 1024)
			.map((size) -> Tuple.of(RawStompSocket.TEXT,
					("SEND\ndestination:/app/x\n\n" + "x".repeat(size) + "\0").getBytes(StandardCharsets.UTF_8)));
		Arbitrary<Tuple.Tuple2<Integer, byte[]>> notUtf8 = Arbitraries
			.of(new byte[] { (byte) 0xC3, (byte) 0x28 }, new byte[] { (byte) 0xFF }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 })
			.map((bad) -> {
				byte[] head = "SUBSCRIBE\nid:1\ndestination:/user/queue/auto-assign".getBytes(StandardCharsets.UTF_8);
				byte[] all = new byte[head.length + bad.length + 3];
				System.arraycopy(head, 0, all, 0, head.length);
				System.arraycopy(bad, 0, all, head.length, bad.length);
				all[all.length - 3] = '\n';
				all[all.length - 2] = '\n';
				all[all.length - 1] = 0;
				return Tuple.of(RawStompSocket.TEXT, all);
			});
		return Arbitraries.frequencyOf(Tuple.of(8, text), Tuple.of(1, oversized), Tuple.of(1, notUtf8));
	}

	// ---- helpers ----

	static String connect(String authorization, String acceptVersion) {
		return "CONNECT\naccept-version:" + acceptVersion + "\nhost:localhost\nheart-beat:0,0\nAuthorization:"
				+ authorization + "\n\n\0";
	}

	private Fixture fixture() {
		if (fixture == null) {
			synchronized (StompFrameFuzzIntegrationTests.class) {
				if (fixture == null) {
					String base = "/api/v1/companies/" + company;
					assertThat(this.api.put(base + "/agents/boss", Map.of("name", "Boss", "role", "ADMIN")).status())
						.isEqualTo(201);
					assertThat(this.api.put(base + "/agents/ann", Map.of("name", "Ann", "role", "AGENT")).status())
						.isEqualTo(201);
					assertThat(this.api.put(base + "/agents/ann/status", Map.of("status", "ACTIVE")).status())
						.isEqualTo(200);
					assertThat(this.api.post(base + "/chats",
							Map.of("chatId", "chat-1", "member", Map.of("id", "m-1", "name", "Bob"), "message", "Hi"))
						.status()).isEqualTo(201);
					String agentToken = this.api.post(base + "/agents/ann/tokens", Map.of()).text("token");
					String adminToken = this.api.post(base + "/agents/boss/tokens", Map.of()).text("token");
					StompTestClient admin = StompTestClient.withToken(this.api.base(), adminToken);
					admin.subscribeOwn();
					fixture = new Fixture(agentToken, admin);
				}
			}
		}
		return fixture;
	}

	private String snapshot() {
		StringBuilder state = new StringBuilder();
		for (String path : List.of("/auto-assign", "/agents", "/chats/chat-1", "/queue")) {
			Api.Response response = this.api.get("/api/v1/companies/" + company + path);
			state.append(path).append(' ').append(response.status()).append(' ').append(response.raw().body()).append('\n');
		}
		return state.toString();
	}

	private static String show(String frame) {
		String shown = frame.replace("\n", "\\n").replace("\0", "^@");
		return shown.length() > 300 ? shown.substring(0, 300) + "..." : shown;
	}

}
