package io.autoassign.web;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;

/**
 * An enum value must be written exactly: Jackson would otherwise retry an unknown value
 * trimmed, accepting {@code "MEMBER "} or {@code "MEMBER\u0000"} as {@code MEMBER}. Strings that
 * are no constant's name or {@code toString()} are refused (400 listing the allowed values);
 * everything else goes to Jackson's own enum deserializer.
 */
class StrictEnumDeserializer extends DelegatingDeserializer {

	private final Class<?> type;

	private final Set<String> written = new HashSet<>();

	StrictEnumDeserializer(JsonDeserializer<?> delegate, Class<?> type) {
		super(delegate);
		this.type = type;
		for (Object constant : type.getEnumConstants()) {
			this.written.add(((Enum<?>) constant).name());
			this.written.add(constant.toString());
		}
	}

	@Override
	protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
		return new StrictEnumDeserializer(newDelegatee, this.type);
	}

	@Override
	public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
		if (p.hasToken(JsonToken.VALUE_STRING) && !this.written.contains(p.getText())) {
			return ctxt.handleWeirdStringValue(this.type, p.getText(), "not one of the values accepted");
		}
		return super.deserialize(p, ctxt);
	}

	/** Wraps the deserializer of every enum. */
	static final class Modifier extends BeanDeserializerModifier {

		@Override
		public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
				BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
			return new StrictEnumDeserializer(deserializer, type.getRawClass());
		}

	}

}
