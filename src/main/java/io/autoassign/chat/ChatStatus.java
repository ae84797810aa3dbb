package io.autoassign.chat;

public enum ChatStatus {

	OPEN, CLOSED

}
