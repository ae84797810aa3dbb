package io.autoassign.domain;

import java.util.regex.Pattern;

/**
 * The shape of every id the API accepts: letters, digits and {@code . _ : @ + -}, starting
 * with a letter or digit. Company ids (the engine's tenant id) and group ids have at most 64
 * characters, agent and chat ids at most 128. Group ids exclude {@code +} and {@code ,}
 * because they are joined into lists.
 */
public final class Identifiers {

	public static final String COMPANY_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@+-]{0,63}";

	public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}";

	public static final String GROUP_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}";

	public static final String ID_MESSAGE = "must be 1-128 letters, digits or . _ : @ + - starting with a letter or digit";

	public static final String COMPANY_MESSAGE = "must be 1-64 letters, digits or . _ : @ + - starting with a letter or digit";

	public static final String GROUP_MESSAGE = "must be 1-64 letters, digits or . _ : @ - starting with a letter or digit";

	private static final Pattern COMPANY = Pattern.compile(COMPANY_PATTERN);

	private static final Pattern ID = Pattern.compile(ID_PATTERN);

	private static final Pattern GROUP = Pattern.compile(GROUP_PATTERN);

	private Identifiers() {
	}

	public static String company(String companyId) {
		return check("companyId", companyId, COMPANY, COMPANY_MESSAGE);
	}

	public static String agent(String agentId) {
		return check("agentId", agentId, ID, ID_MESSAGE);
	}

	public static String chat(String chatId) {
		return check("chatId", chatId, ID, ID_MESSAGE);
	}

	public static String webhook(String webhookId) {
		return check("webhookId", webhookId, GROUP, GROUP_MESSAGE);
	}

	public static String group(String field, String groupId) {
		return check(field, groupId, GROUP, GROUP_MESSAGE);
	}

	private static String check(String field, String value, Pattern pattern, String message) {
		if (value == null || !pattern.matcher(value).matches()) {
			throw new InvalidInputException(field, message);
		}
		return value;
	}

}
