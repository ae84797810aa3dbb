package io.autoassign.platform;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The one clock of the service: the engine's. Timers, idle thresholds and token expiry all read
 * the same time, so a test that moves the engine clock moves everything consistently.
 */
final class EngineClock extends Clock {

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return Clock.fixed(instant(), zone);
	}

	@Override
	public Instant instant() {
		return ClockUtil.now().toInstant();
	}

}
