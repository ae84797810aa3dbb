package io.autoassign.webhooks;

/** Where a webhook delivery stands. */
public enum DeliveryStatus {

	/** Not yet acknowledged: due at {@code nextAttemptAt}, or being sent. */
	PENDING,

	/** The endpoint answered 2xx. */
	DELIVERED,

	/** Not acknowledged within {@code auto-assign.webhooks.max-age} (24 h); may be redelivered. */
	FAILED

}
