package io.autoassign.events;

public enum UnassignReason {

	AGENT_OFFLINE, REBALANCED, TAKEN_OVER, CLOSED

}
