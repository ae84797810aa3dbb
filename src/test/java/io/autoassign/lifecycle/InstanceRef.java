package io.autoassign.lifecycle;

import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * A process instance known by id, running or ended, for camunda-bpm-assert's assertions
 * (which look the instance up by id in the runtime and the history).
 */
record InstanceRef(String id, String businessKey, String tenantId) implements ProcessInstance {

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getProcessInstanceId() {
		return this.id;
	}

	@Override
	public String getBusinessKey() {
		return this.businessKey;
	}

	@Override
	public String getTenantId() {
		return this.tenantId;
	}

	@Override
	public String getProcessDefinitionId() {
		return null;
	}

	@Override
	public String getProcessDefinitionKey() {
		return null;
	}

	@Override
	public String getRootProcessInstanceId() {
		return this.id;
	}

	@Override
	public String getCaseInstanceId() {
		return null;
	}

	@Override
	public boolean isSuspended() {
		return false;
	}

	@Override
	public boolean isEnded() {
		return false;
	}

}
