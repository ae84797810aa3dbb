package io.autoassign.hours;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OpeningHours} against {@code java.time} on random schedules, zones and instants: the
 * answer of {@code opensAt} and {@code closesAt} is checked minute by minute against the wall
 * clock read directly ({@code LocalDateTime.ofInstant}), in zones chosen for their hard cases.
 * (Every period bound and every transition of these zones falls on a whole minute, so checking
 * each minute between the instant and the answer misses no opening or closing.)
 */
class OpeningHoursPropertiesTests {

	/** Zones with DST gaps and overlaps, 30-minute DST, DST at midnight, a skipped day, negative DST. */
	static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
			"Asia/Kathmandu", "America/Santiago", "Asia/Beirut", "Pacific/Apia", "Europe/Dublin", "Africa/Casablanca",
			"America/Sao_Paulo", "Asia/Tehran");

	record Case(OpeningHours hours, Instant instant) {
	}

	@Property(tries = 1000)
	void opensAtIsTheFirstOpenInstantFromTheGivenOne(@ForAll("cases") Case c) {
		Instant opens = c.hours().opensAt(c.instant());
		if (opens == null) {
			// never within the horizon: then not within the first weeks either
			assertClosedThroughout(c, c.instant(), c.instant().plus(Duration.ofDays(15)));
			return;
		}
		assertThat(opens).isAfterOrEqualTo(c.instant());
		assertThat(open(c, opens)).as("open at %s", opens).isTrue();
		assertClosedThroughout(c, c.instant(), opens);
	}

	@Property(tries = 1000)
	void closesAtIsTheFirstClosedInstantAfterAnOpenOne(@ForAll("cases") Case c) {
		Instant probe = c.hours().opensAt(c.instant());
		if (probe == null) {
			assertThat(c.hours().closesAt(c.instant())).isNull();
			return;
		}
		if (!probe.equals(c.instant())) {
			assertThat(c.hours().closesAt(c.instant())).isNull();
		}
		Instant closes = c.hours().closesAt(probe);
		assertThat(closes).isNotNull().isAfter(probe);
		assertThat(open(c, closes)).as("closed at %s", closes).isFalse();
		for (Instant m = nextMinute(probe); m.isBefore(closes); m = m.plus(1, ChronoUnit.MINUTES)) {
			assertThat(open(c, m)).as("open at %s, before the closing %s", m, closes).isTrue();
		}
	}

	private static void assertClosedThroughout(Case c, Instant from, Instant until) {
		assertThat(open(c, from)).as("closed at %s", from).isEqualTo(from.equals(until));
		for (Instant m = nextMinute(from); m.isBefore(until); m = m.plus(1, ChronoUnit.MINUTES)) {
			assertThat(open(c, m)).as("closed at %s, before the opening %s", m, until).isFalse();
		}
	}

	private static Instant nextMinute(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
	}

	/** The reference: the wall clock read with java.time, against the periods and holidays. */
	private static boolean open(Case c, Instant instant) {
		LocalDateTime wall = LocalDateTime.ofInstant(instant, c.hours().zone());
		if (c.hours().holidays().contains(wall.toLocalDate())) {
			return false;
		}
		int minute = wall.getHour() * 60 + wall.getMinute();
		return c.hours().periods().stream().anyMatch((p) -> p.day() == wall.getDayOfWeek() && p.from() <= minute
				&& minute < p.to());
	}

	@Provide
	Arbitrary<Case> cases() {
		Arbitrary<ZoneId> zones = Arbitraries.of(ZONES).map(ZoneId::of);
		// 2010-2035: Apia's skipped day (2011-12-30), Casablanca's changing rules, today's DST
		Arbitrary<Instant> instants = Arbitraries.longs()
			.between(Instant.parse("2010-01-01T00:00:00Z").getEpochSecond(),
					Instant.parse("2035-01-01T00:00:00Z").getEpochSecond())
			.map(Instant::ofEpochSecond);
		Arbitrary<OpeningHours.Period> periods = Combinators
			.combine(Arbitraries.of(DayOfWeek.class), Arbitraries.integers().between(0, 47),
					Arbitraries.integers().between(1, 48), Arbitraries.integers().between(0, 59))
			// half hours, some at odd minutes; 'to' up to 24:00
			.as((day, start, length, odd) -> {
				int from = Math.min(start * 30 + (odd % 3 == 0 ? odd : 0), 24 * 60 - 1);
				int to = Math.min(from + length * 30, 24 * 60);
				return new OpeningHours.Period(day, from, to);
			});
		// half of the instants within two days before one of the zone's transitions (where the
		// wall clock jumps), the others anywhere
		Arbitrary<Long> nearTransition = Arbitraries.longs().between(-2 * 86_400, 3600);
		Arbitrary<Boolean> near = Arbitraries.of(true, false);
		return Combinators.combine(zones, instants, periods.list().ofMinSize(0).ofMaxSize(8),
				Arbitraries.integers().between(-3, 20).set().ofMaxSize(4), near, nearTransition)
			.as((zone, anywhere, list, offsets, closeToTransition, shift) -> {
					Instant instant = anywhere;
					if (closeToTransition) {
						ZoneOffsetTransition next = zone.getRules().nextTransition(anywhere);
						if (next != null) {
							instant = next.getInstant().plusSeconds(shift);
						}
					}
					LocalDate today = LocalDateTime.ofInstant(instant, zone).toLocalDate();
					Set<LocalDate> holidays = new HashSet<>();
					offsets.forEach((days) -> holidays.add(today.plusDays(days)));
					return new Case(new OpeningHours(zone, new ArrayList<>(list), holidays), instant);
				});
	}

}
