package io.autoassign.settings;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.autoassign.hours.OpeningHours;

/**
 * One period of the team's week in the configuration: {@code {"day": "MONDAY", "from": "09:00",
 * "to": "17:30"}}, wall-clock times in the company's {@code timeZone}; {@code to} may be
 * {@code "24:00"} (the end of the day), so a night shift is two entries.
 */
public record WeeklyHours(DayOfWeek day, String from, String to) {

	private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)|24:00");

	private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z]+)\\s+(\\S+)\\s*-\\s*(\\S+)\\s*");

	/** Minutes of the day of a time {@code HH:mm} ({@code 24:00} = 1440), or -1 when it is not one. */
	static int minutes(String time) {
		if (time == null || !TIME.matcher(time).matches()) {
			return -1;
		}
		return time.equals("24:00") ? 1440 : LocalTime.parse(time).toSecondOfDay() / 60;
	}

	OpeningHours.Period period() {
		return new OpeningHours.Period(this.day, minutes(this.from), minutes(this.to));
	}

	/** {@code MONDAY 09:00-17:30}: how the database and the settings form write a period. */
	String text() {
		return this.day + " " + this.from + "-" + this.to;
	}

	/** The periods of {@link #text()} entries separated by {@code ;} or line breaks. */
	static List<WeeklyHours> parseAll(String text) {
		List<WeeklyHours> periods = new ArrayList<>();
		if (text == null) {
			return periods;
		}
		for (String entry : text.split("[;\\n\\r]+")) {
			if (entry.isBlank()) {
				continue;
			}
			Matcher m = ENTRY.matcher(entry);
			if (!m.matches()) {
				throw new IllegalArgumentException("'" + entry.strip() + "' is not a period such as MONDAY 09:00-17:30");
			}
			periods.add(new WeeklyHours(DayOfWeek.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)), m.group(2),
					m.group(3)));
		}
		return periods;
	}

	static String textOf(List<WeeklyHours> periods) {
		return String.join(";", periods.stream().map(WeeklyHours::text).toList());
	}

}
