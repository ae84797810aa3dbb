package io.autoassign.chat;

public enum Sender {

	MEMBER, AGENT

}
