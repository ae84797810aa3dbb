package io.autoassign.webhooks;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@link #MAX_BYTES} of an endpoint's answer and drops the rest: an answer is
 * kept only as a short excerpt in the delivery's {@code lastError}, and a huge or endless body
 * must not hold the service.
 */
final class ResponseExcerpt implements HttpResponse.BodySubscriber<String> {

	static final int MAX_BYTES = 1024;

	private final CompletableFuture<String> body = new CompletableFuture<>();

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private Flow.Subscription subscription;

	static HttpResponse.BodyHandler<String> handler() {
		return (info) -> new ResponseExcerpt();
	}

	@Override
	public CompletionStage<String> getBody() {
		return this.body;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		subscription.request(1);
	}

	@Override
	public void onNext(List<ByteBuffer> items) {
		for (ByteBuffer item : items) {
			int n = Math.min(item.remaining(), MAX_BYTES - this.bytes.size());
			byte[] read = new byte[n];
			item.get(read);
			this.bytes.write(read, 0, n);
		}
		if (this.bytes.size() >= MAX_BYTES) {
			this.subscription.cancel();
			complete();
		}
		else {
			this.subscription.request(1);
		}
	}

	@Override
	public void onError(Throwable failure) {
		// the status decides; what was read of the body is excerpt enough
		complete();
	}

	@Override
	public void onComplete() {
		complete();
	}

	private void complete() {
		this.body.complete(new String(this.bytes.toByteArray(), StandardCharsets.UTF_8));
	}

}
