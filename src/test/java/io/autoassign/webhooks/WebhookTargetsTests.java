package io.autoassign.webhooks;

import io.autoassign.domain.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which URLs a webhook may call, with the shipped settings and with an operator's exceptions. */
class WebhookTargetsTests {

	private final WebhookTargets shipped = new WebhookTargets(true, false, false);

	@Test
	void theShippedSettingsTakeHttpsToPublicAddressesOnly() {
		assertThat(this.shipped.check("https://93.184.215.14/hooks?x=1").getHost()).isEqualTo("93.184.215.14");
		assertRefused(this.shipped, "http://93.184.215.14/hook", "must be an https URL");
		assertRefused(this.shipped, "https://127.0.0.1/hook", "an address of this machine");
		assertRefused(this.shipped, "https://localhost/hook", "an address of this machine");
		assertRefused(this.shipped, "https://[::1]/hook", "an address of this machine");
		assertRefused(this.shipped, "https://0.0.0.0/hook", "an address of this machine");
		assertRefused(this.shipped, "https://10.0.0.8/hook", "private or link-local");
		assertRefused(this.shipped, "https://172.16.5.4/hook", "private or link-local");
		assertRefused(this.shipped, "https://192.168.1.1/hook", "private or link-local");
		assertRefused(this.shipped, "https://100.64.0.1/hook", "private or link-local");
		assertRefused(this.shipped, "https://169.254.169.254/latest", "private or link-local");
		assertRefused(this.shipped, "https://[fe80::1]/hook", "private or link-local");
		assertRefused(this.shipped, "https://[fd00::1]/hook", "private or link-local");
		assertRefused(this.shipped, "https://[::ffff:10.0.0.1]/hook", "private or link-local");
		assertRefused(this.shipped, "https://224.0.0.1/hook", "multicast");
		assertRefused(this.shipped, "https://user:pw@93.184.215.14/hook", "user name or password");
		assertRefused(this.shipped, "https://93.184.215.14/hook#part", "fragment");
		assertRefused(this.shipped, "https:///hook", "must name a host");
		assertRefused(this.shipped, "https://no-such-host.invalid/hook", "does not resolve");
	}

	@Test
	void anOperatorMayAllowHttpLoopbackAndPrivateTargetsEachOnItsOwn() {
		WebhookTargets loopback = new WebhookTargets(false, true, false);
		assertThat(loopback.check("http://127.0.0.1:8080/hook").getPort()).isEqualTo(8080);
		assertRefused(loopback, "http://10.0.0.8/hook", "private or link-local");
		assertRefused(loopback, "ftp://127.0.0.1/hook", "must be an http or https URL");
		WebhookTargets internal = new WebhookTargets(true, false, true);
		assertThat(internal.check("https://10.0.0.8/hook").getHost()).isEqualTo("10.0.0.8");
		assertRefused(internal, "https://127.0.0.1/hook", "an address of this machine");
	}

	private static void assertRefused(WebhookTargets targets, String url, String reason) {
		assertThatThrownBy(() -> targets.check(url)).as(url)
			.isInstanceOfSatisfying(InvalidInputException.class, (ex) -> {
				assertThat(ex.errors()).hasSize(1);
				assertThat(ex.errors().get(0).field()).isEqualTo("url");
				assertThat(ex.errors().get(0).message()).contains(reason);
			});
	}

}
