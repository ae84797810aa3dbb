package io.autoassign.availability;

import io.autoassign.chat.Chat;
import io.autoassign.events.UnassignReason;

/**
 * What an agent's coming and going asks of the processes. The lifecycle package implements it
 * (it binds the BPMN), so that availability does not depend on the engine binding.
 */
public interface AvailabilityProcesses {

	/** Starts an agent's offline grace period; returns the process instance id. */
	String startOfflineGrace(String companyId, String agentId, int gracePeriodMinutes);

	/** Cancels a waiting offline grace period; false when it is past waiting. */
	boolean cancelOfflineGrace(String processInstanceId);

	/** The chat's agent is gone ({@code reason}): its lifecycle routes it again. */
	void reroute(Chat chat, UnassignReason reason);

	/** Starts re-balancing chats to an agent that came online. */
	void startRebalance(String companyId, String agentId);

}
