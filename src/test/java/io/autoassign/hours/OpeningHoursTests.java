package io.autoassign.hours;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hard cases of {@link OpeningHours}, one by one (Berlin: 2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00). */
class OpeningHoursTests {

	static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Test
	void aPeriodStartingAtATimeThatDoesNotExistOpensWhenTheClockJumps() {
		// Sunday 2026-03-29: 02:30 does not exist; the clock jumps from 02:00 CET to 03:00 CEST
		OpeningHours hours = hours(period(DayOfWeek.SUNDAY, "02:30", "05:00"));

		assertThat(hours.opensAt(at("2026-03-29T00:00:00Z"))).isEqualTo(at("2026-03-29T01:00:00Z"));
		assertThat(hours.isOpen(at("2026-03-29T00:59:59Z"))).isFalse();
		assertThat(hours.closesAt(at("2026-03-29T01:00:00Z"))).isEqualTo(at("2026-03-29T03:00:00Z"));
	}

	@Test
	void aTimeThatOccursTwiceIsWithinItsPeriodBothTimes() {
		// Sunday 2026-10-25: 02:00-03:00 occurs twice (CEST 00:00-01:00Z, then CET 01:00-02:00Z)
		OpeningHours hours = hours(period(DayOfWeek.SUNDAY, "02:30", "02:45"));

		assertThat(hours.opensAt(at("2026-10-24T22:00:00Z"))).isEqualTo(at("2026-10-25T00:30:00Z"));
		assertThat(hours.closesAt(at("2026-10-25T00:30:00Z"))).isEqualTo(at("2026-10-25T00:45:00Z"));
		assertThat(hours.opensAt(at("2026-10-25T00:45:00Z"))).isEqualTo(at("2026-10-25T01:30:00Z"));
		assertThat(hours.closesAt(at("2026-10-25T01:30:00Z"))).isEqualTo(at("2026-10-25T01:45:00Z"));
	}

	@Test
	void whenTheClockGoesBackIntoAPeriodItOpensAgainAtTheJump() {
		// 03:00 CEST (01:00Z) becomes 02:00 CET: a period 01:00-02:30 closed at 02:30 CEST reopens
		OpeningHours hours = hours(period(DayOfWeek.SUNDAY, "01:00", "02:30"));

		assertThat(hours.closesAt(at("2026-10-24T23:00:00Z"))).isEqualTo(at("2026-10-25T00:30:00Z"));
		assertThat(hours.opensAt(at("2026-10-25T00:30:00Z"))).isEqualTo(at("2026-10-25T01:00:00Z"));
		assertThat(hours.closesAt(at("2026-10-25T01:00:00Z"))).isEqualTo(at("2026-10-25T01:30:00Z"));
	}

	@Test
	void aPeriodAcrossMidnightGivenAsTwoIsOneOpeningUnlessTheNextDayIsAHoliday() {
		OpeningHours late = hours(period(DayOfWeek.FRIDAY, "22:00", "24:00"), period(DayOfWeek.SATURDAY, "00:00", "02:00"));
		// Friday 2026-12-04 22:00 CET = 21:00Z; Saturday 02:00 CET = 01:00Z
		assertThat(late.opensAt(at("2026-12-04T12:00:00Z"))).isEqualTo(at("2026-12-04T21:00:00Z"));
		assertThat(late.closesAt(at("2026-12-04T21:00:00Z"))).isEqualTo(at("2026-12-05T01:00:00Z"));

		OpeningHours saturdayOff = new OpeningHours(BERLIN, late.periods(), Set.of(LocalDate.parse("2026-12-05")));
		assertThat(saturdayOff.closesAt(at("2026-12-04T21:00:00Z"))).isEqualTo(at("2026-12-04T23:00:00Z"));
	}

	@Test
	void aHolidayOnTheDayTheClocksChangeIsClosedForAllOfItsTwentyThreeHours() {
		OpeningHours hours = new OpeningHours(BERLIN, List.of(period(DayOfWeek.SUNDAY, "00:00", "24:00"),
				period(DayOfWeek.MONDAY, "00:00", "24:00")), Set.of(LocalDate.parse("2026-03-29")));

		assertThat(hours.isOpen(at("2026-03-28T22:59:59Z"))).isFalse();
		// Sunday 00:00 CET is Saturday 23:00Z; Monday 00:00 CEST is Sunday 22:00Z
		assertThat(hours.opensAt(at("2026-03-28T22:00:00Z"))).isEqualTo(at("2026-03-29T22:00:00Z"));
	}

	@Test
	void aScheduleWithoutPeriodsNeverOpensAndOneOnlyOfHolidaysWithinAYearNeither() {
		assertThat(hours().opensAt(at("2026-12-03T12:00:00Z"))).isNull();
		OpeningHours oneDay = new OpeningHours(ZoneId.of("UTC"), List.of(period(DayOfWeek.FRIDAY, "09:00", "17:00")),
				Set.of(LocalDate.parse("2026-12-04")));
		assertThat(oneDay.opensAt(at("2026-12-03T12:00:00Z"))).isEqualTo(at("2026-12-11T09:00:00Z"));
	}

	@Test
	void theBoundsAreWholeMinutesFromIncludedToExcluded() {
		OpeningHours hours = new OpeningHours(ZoneId.of("UTC"), List.of(period(DayOfWeek.THURSDAY, "09:00", "17:00")),
				Set.of());
		assertThat(hours.isOpen(at("2026-12-03T08:59:59.999Z"))).isFalse();
		assertThat(hours.isOpen(at("2026-12-03T09:00:00Z"))).isTrue();
		assertThat(hours.isOpen(at("2026-12-03T16:59:59.999Z"))).isTrue();
		assertThat(hours.isOpen(at("2026-12-03T17:00:00Z"))).isFalse();
		assertThat(hours.opensAt(at("2026-12-03T10:00:00Z"))).isEqualTo(at("2026-12-03T10:00:00Z"));
		assertThat(hours.closesAt(at("2026-12-03T08:00:00Z"))).isNull();
	}

	private static OpeningHours hours(OpeningHours.Period... periods) {
		return new OpeningHours(BERLIN, List.of(periods), Set.of());
	}

	static OpeningHours.Period period(DayOfWeek day, String from, String to) {
		return new OpeningHours.Period(day, minutes(from), minutes(to));
	}

	private static int minutes(String time) {
		return Integer.parseInt(time.substring(0, 2)) * 60 + Integer.parseInt(time.substring(3));
	}

	private static Instant at(String instant) {
		return Instant.parse(instant);
	}

}
