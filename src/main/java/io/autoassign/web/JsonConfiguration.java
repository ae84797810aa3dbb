package io.autoassign.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Strict JSON input: a wrong type is an error rather than a silent coercion ({@code "5"} is not
 * 5, {@code 5.5} is not an integer, {@code 5} and {@code true} are not strings), a field given
 * twice is an error rather than "the last one wins", and documents are bounded in size and depth.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

	/** Longest string value accepted anywhere in a request body. */
	static final int MAX_STRING_LENGTH = 20_000;

	/** Every string of a request body is free of NUL, control characters and unpaired surrogates. */
	@Bean
	SimpleModule safeStrings() {
		return new SimpleModule("safe-strings").addDeserializer(String.class, new SafeStringDeserializer());
	}

	/** Enum values are read exactly as written, never trimmed. */
	@Bean
	SimpleModule strictEnums() {
		return new SimpleModule("strict-enums").setDeserializerModifier(new StrictEnumDeserializer.Modifier());
	}

	@Bean
	Jackson2ObjectMapperBuilderCustomizer strictJson() {
		return (builder) -> builder.featuresToDisable(MapperFeature.ALLOW_COERCION_OF_SCALARS,
				DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.featuresToEnable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
					DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
					JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
			.postConfigurer((mapper) -> {
				mapper.getFactory()
					.setStreamReadConstraints(StreamReadConstraints.builder()
						.maxStringLength(MAX_STRING_LENGTH)
						.maxNestingDepth(32)
						.maxNumberLength(32)
						.build());
				// ALLOW_COERCION_OF_SCALARS does not cover strings: Jackson reads 5 or true as "5" or "true".
				mapper.coercionConfigFor(LogicalType.Textual)
					.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
			});
	}

}
