package io.autoassign.web;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

/**
 * Reads every string of a request body and refuses the ones no text field should hold: NUL and
 * the other C0 control characters except tab, line feed and carriage return, and unpaired
 * UTF-16 surrogates. JSON can carry them as escapes ({@code \u0000}, {@code \ud800}), but
 * PostgreSQL refuses NUL in text (a 500 instead of a 400) and an unpaired surrogate cannot be
 * encoded as UTF-8 (it would be stored as {@code ?}, silently changing the text).
 */
class SafeStringDeserializer extends StdScalarDeserializer<String> {

	static final String MESSAGE = "must not contain NUL, control characters or unpaired surrogates";

	SafeStringDeserializer() {
		super(String.class);
	}

	@Override
	public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
		String value = StringDeserializer.instance.deserialize(p, ctxt);
		if (value != null && !isSafe(value)) {
			throw new UnsafeText(p, value);
		}
		return value;
	}

	static boolean isSafe(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				return false;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	/** A string with characters that {@link #isSafe} refuses; the problem handler names its field. */
	static final class UnsafeText extends InvalidFormatException {

		UnsafeText(JsonParser p, String value) {
			super(p, "String " + MESSAGE, value, String.class);
		}

	}

}
