package io.autoassign.assignment;

/**
 * What routing needs done by the feature that owns queue dispatching (the queue dispatcher;
 * an interface so that routing does not depend on it).
 */
public interface RoutingListener {

	/**
	 * Capacity or queued chats may have appeared in the company (a commit gave back a slot or
	 * queued a chat, an agent became eligible, a repair changed something): dispatch its queue,
	 * oldest first. Runs outside any transaction, after the one that caused it completed.
	 */
	void dispatch(String companyId);

	/** The company's routing state was rebuilt; runs inside the rebuilding transaction. */
	void rebuilt(String companyId);

}
