package io.autoassign.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook request, as Stripe signs its own: the header
 * {@code X-AutoAssign-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>} where the HMAC is
 * computed with the webhook's secret over {@code <t>.<body>} (the body's exact bytes). A
 * receiver recomputes it, compares in constant time, and refuses a {@code t} far from its clock
 * (a replayed request).
 */
public final class WebhookSignature {

	/** The request header that carries the signature. */
	public static final String HEADER = "X-AutoAssign-Signature";

	private WebhookSignature() {
	}

	/** The header's value for {@code body} sent at {@code timestamp} (unix seconds). */
	public static String header(String secret, long timestamp, String body) {
		return "t=" + timestamp + ",v1=" + hmac(secret, timestamp + "." + body);
	}

	/** The hex HMAC-SHA256 of {@code text} under {@code secret}. */
	public static String hmac(String secret, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
