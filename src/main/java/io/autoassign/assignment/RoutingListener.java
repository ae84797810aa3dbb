package io.autoassign.assignment;

/**
 * What routing needs done by the features that own queue draining: told when capacity
 * appeared outside of the normal flow (a repaired rollback freed a slot, a company's state was
 * rebuilt). Implemented by the queue dispatcher; kept as an interface so that routing does not
 * depend on it.
 */
public interface RoutingListener {

	/** An agent may have a free slot; runs after a transaction completed, outside it. */
	void capacityFreed(String companyId, String agentId);

	/** The company's routing state was rebuilt; runs inside a transaction. */
	void rebuilt(String companyId);

	/**
	 * A chat was queued by a transaction that has just committed; runs after the commit, outside
	 * it. An agent that became free while that transaction was open could not see the chat
	 * (its row was not visible yet), so the chat gets one more chance now.
	 */
	void queuedAndCommitted(String companyId, String chatId, String pool);

}
