package io.autoassign.assignment;

/**
 * What routing needs done by the features that own queue draining: told when capacity
 * appeared outside of the normal flow (a repaired rollback freed a slot, a company's state was
 * rebuilt). Implemented by the queue dispatcher; kept as an interface so that routing does not
 * depend on it.
 */
public interface RoutingListener {

	/** An agent may have a free slot; runs inside a transaction. */
	void capacityFreed(String companyId, String agentId);

	/** The company's routing state was rebuilt; runs inside a transaction. */
	void rebuilt(String companyId);

}
