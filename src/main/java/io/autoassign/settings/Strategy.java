package io.autoassign.settings;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an agent is chosen among the eligible ones.
 */
public enum Strategy {

	/** A stable rotation A, B, C, A, ... over the eligible agents. */
	ROUND_ROBIN("round_robin"),

	/** The agent with the fewest active chats; ties go to the longest since an assignment. */
	LEAST_BUSY("least_busy"),

	/** Uniformly at random among the eligible agents. */
	RANDOM("random");

	private final String value;

	Strategy(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	public static Optional<Strategy> fromValue(String value) {
		return Arrays.stream(values()).filter((s) -> s.value.equals(value)).findFirst();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
