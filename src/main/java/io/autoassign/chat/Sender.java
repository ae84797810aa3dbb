package io.autoassign.chat;

enum Sender {

	MEMBER, AGENT

}
