package io.autoassign.chat;

enum ChatStatus {

	OPEN, CLOSED

}
