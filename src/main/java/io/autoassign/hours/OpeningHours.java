package io.autoassign.hours;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A team's weekly hours in its time zone, less its holidays, and the calculator of when it is
 * open.
 * <p>
 * <b>The rule.</b> An instant is open when its wall-clock time in the zone falls within one of
 * the day's periods ({@code from} included, {@code to} excluded) on a date that is not a
 * holiday. Everything follows from reading the wall clock:
 * <ul>
 * <li>A period that starts in a daylight-saving gap (02:30 on the night clocks jump from 02:00 to
 * 03:00) opens when the clock shows a time after its start, i.e. at the jump (03:00).</li>
 * <li>A wall-clock time that occurs twice (01:30 on the night clocks go back from 02:00 to 01:00)
 * is open both times if it is within a period: a period 01:00-01:45 that night is open twice.</li>
 * <li>A period that crosses midnight is given as two ({@code 22:00-24:00}, then
 * {@code 00:00-02:00} the next day); they join into one opening, unless the next day is a
 * holiday, which closes at its midnight.</li>
 * </ul>
 * {@link #opensAt} and {@link #closesAt} look at most {@value #HORIZON_DAYS} days ahead (a year of
 * holidays and a week more): a schedule without any period, or with none beyond, never opens.
 */
public record OpeningHours(ZoneId zone, List<Period> periods, Set<LocalDate> holidays) {

	/** How far ahead the next opening or closing is looked for. */
	static final int HORIZON_DAYS = 372;

	/** Minutes in a day: a period's {@code to} may be 24:00, the end of its day. */
	static final int DAY = 24 * 60;

	public OpeningHours {
		periods = List.copyOf(periods);
		holidays = Set.copyOf(holidays);
	}

	/**
	 * One period of a weekday, in minutes of the day: {@code from} 0-1439 included, {@code to}
	 * 1-1440 excluded, after {@code from}.
	 */
	public record Period(DayOfWeek day, int from, int to) {

		public Period {
			if (from < 0 || from >= DAY || to <= from || to > DAY) {
				throw new IllegalArgumentException("A period runs from 00:00-23:59 to a later time up to 24:00");
			}
		}

		boolean contains(DayOfWeek day, int minuteOfDay) {
			return this.day == day && minuteOfDay >= this.from && minuteOfDay < this.to;
		}

	}

	/** Whether the team is open at {@code instant}. */
	public boolean isOpen(Instant instant) {
		LocalDateTime local = LocalDateTime.ofInstant(instant, this.zone);
		if (this.holidays.contains(local.toLocalDate())) {
			return false;
		}
		DayOfWeek day = local.getDayOfWeek();
		LocalTime time = local.toLocalTime();
		// a period's bounds are whole minutes: 09:00:30 is within 09:00-17:00, 16:59:59.9 too
		int minute = time.getHour() * 60 + time.getMinute();
		for (Period period : this.periods) {
			if (period.contains(day, minute)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The first instant at or after {@code instant} at which the team is open ({@code instant}
	 * itself when open then); {@code null} when it does not open within the horizon.
	 */
	public Instant opensAt(Instant instant) {
		if (isOpen(instant)) {
			return instant;
		}
		// The open instants are a union of intervals closed at their start; every start is the
		// first instant at which the wall clock reaches a period's 'from' (either time, when it
		// occurs twice) or an instant at which the wall clock jumps. The first such candidate after
		// 'instant' that is open is the answer.
		return first(instant, true);
	}

	/**
	 * The first instant after {@code instant} at which the team is closed, when it is open at
	 * {@code instant}; {@code null} when it is closed then, or does not close within the horizon.
	 */
	public Instant closesAt(Instant instant) {
		if (!isOpen(instant)) {
			return null;
		}
		return first(instant, false);
	}

	private Instant first(Instant after, boolean opening) {
		if (this.periods.isEmpty()) {
			return null;
		}
		LocalDate start = LocalDateTime.ofInstant(after, this.zone).toLocalDate().minusDays(1);
		Instant found = null;
		for (int d = 0; d <= HORIZON_DAYS + 1; d++) {
			LocalDate date = start.plusDays(d);
			for (Instant candidate : candidates(date, opening)) {
				if (candidate.isAfter(after) && (found == null || candidate.isBefore(found))
						&& isOpen(candidate) == opening) {
					found = candidate;
				}
			}
			// the candidates of one date may come after some of the next date's (a transition at
			// midnight): a date further on is looked at only while nothing was found before it
			if (found != null && LocalDateTime.ofInstant(found, this.zone).toLocalDate().isBefore(date)) {
				return found;
			}
		}
		return found;
	}

	/**
	 * The instants of {@code date} at which the wall clock reaches a period's {@code from} (an
	 * opening) or {@code to} (a closing) of that date, and the zone's transitions around it.
	 */
	private List<Instant> candidates(LocalDate date, boolean opening) {
		ZoneRules rules = this.zone.getRules();
		List<Instant> candidates = new ArrayList<>();
		for (Period period : this.periods) {
			if (period.day() == date.getDayOfWeek()) {
				int minute = opening ? period.from() : period.to();
				LocalDateTime wall = minute == DAY ? date.plusDays(1).atStartOfDay()
						: date.atTime(minute / 60, minute % 60);
				reached(rules, wall, candidates);
			}
		}
		// a holiday or another weekday begins at midnight
		reached(rules, date.atStartOfDay(), candidates);
		// the wall clock jumps
		Instant from = date.atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(18 * 3600 + 1);
		Instant until = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(18 * 3600);
		for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(until);
				t = rules.nextTransition(t.getInstant())) {
			candidates.add(t.getInstant());
		}
		return candidates;
	}

	/** The instants at which the wall clock shows {@code wall}, or the jump over it when it never does. */
	private static void reached(ZoneRules rules, LocalDateTime wall, List<Instant> into) {
		List<ZoneOffset> offsets = rules.getValidOffsets(wall);
		if (offsets.isEmpty()) {
			into.add(rules.getTransition(wall).getInstant());
			return;
		}
		for (ZoneOffset offset : offsets) {
			into.add(wall.toInstant(offset));
		}
	}

}
