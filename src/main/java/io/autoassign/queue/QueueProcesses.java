package io.autoassign.queue;

import io.autoassign.chat.Chat;

/**
 * What the queue dispatcher asks of the lifecycle processes. The lifecycle package implements
 * it (it binds the BPMN), so that the queue does not depend on the engine binding.
 */
public interface QueueProcesses {

	/** A queued chat was assigned by the dispatcher: its lifecycle leaves the queue wait. */
	void dequeued(Chat chat);

	/** Auto-assign is enabled again: the pending chat's lifecycle routes it. */
	void resume(Chat chat);

	/** Starts dispatching the company's queued and pending chats, chunk by chunk, in the background. */
	void startDispatch(String companyId);

}
