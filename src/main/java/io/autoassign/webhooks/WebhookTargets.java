package io.autoassign.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import io.autoassign.domain.InvalidInputException;

/**
 * Which URLs a webhook may call. Https only unless configured otherwise; no user info; and no
 * target on this machine, a private network or a link-local address (a cloud's metadata service
 * at 169.254.169.254) unless an operator allows it: a company admin must not be able to make the
 * service call what only the service can reach. The host is checked when the webhook is saved,
 * and its addresses again before every request (a name may resolve elsewhere later).
 */
final class WebhookTargets {

	/** A target refused when a request was about to go out. */
	static final class RefusedTarget extends Exception {

		RefusedTarget(String message) {
			super(message);
		}

	}

	private final boolean requireHttps;

	private final boolean allowLoopback;

	private final boolean allowPrivate;

	WebhookTargets(boolean requireHttps, boolean allowLoopback, boolean allowPrivate) {
		this.requireHttps = requireHttps;
		this.allowLoopback = allowLoopback;
		this.allowPrivate = allowPrivate;
	}

	WebhookTargets(WebhookProperties properties) {
		this(properties.requireHttps(), properties.allowLoopback(), properties.allowPrivate());
	}

	/** The URL of a webhook being saved, or a 400 naming {@code url}. */
	URI check(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new InvalidInputException("url", "is not a valid URL: " + ex.getReason());
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (this.requireHttps ? !scheme.equals("https") : !(scheme.equals("https") || scheme.equals("http"))) {
			throw new InvalidInputException("url",
					this.requireHttps ? "must be an https URL" : "must be an http or https URL");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw new InvalidInputException("url", "must name a host");
		}
		if (uri.getRawUserInfo() != null) {
			throw new InvalidInputException("url", "must not carry a user name or password (sign with the secret)");
		}
		if (uri.getRawFragment() != null) {
			throw new InvalidInputException("url", "must not have a fragment");
		}
		try {
			checkAddresses(uri.getHost());
		}
		catch (RefusedTarget ex) {
			throw new InvalidInputException("url", ex.getMessage());
		}
		return uri;
	}

	/** Refuses {@code host} when it does not resolve or one of its addresses is not allowed. */
	void checkAddresses(String host) throws RefusedTarget {
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			throw new RefusedTarget("the host " + host + " does not resolve");
		}
		for (InetAddress address : addresses) {
			String refused = refusal(address);
			if (refused != null) {
				throw new RefusedTarget("the host " + host + " resolves to " + address.getHostAddress() + ", " + refused);
			}
		}
	}

	private String refusal(InetAddress address) {
		if (address.isMulticastAddress()) {
			return "a multicast address";
		}
		if ((address.isLoopbackAddress() || address.isAnyLocalAddress()) && !this.allowLoopback) {
			return "an address of this machine (auto-assign.webhooks.allow-loopback allows it)";
		}
		if (isPrivate(address) && !this.allowPrivate) {
			return "a private or link-local address (auto-assign.webhooks.allow-private allows it)";
		}
		return null;
	}

	private static boolean isPrivate(InetAddress address) {
		if (address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			// 100.64.0.0/10: shared address space (carrier-grade NAT), not reachable from outside either
			return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
		}
		if (address instanceof Inet6Address) {
			// fc00::/7: unique local addresses
			return (bytes[0] & 0xfe) == 0xfc;
		}
		return false;
	}

}
