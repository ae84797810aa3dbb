package io.autoassign.domain;

/**
 * One entry of a problem document's {@code errors}: which field is wrong and why.
 */
public record FieldError(String field, String message) {
}
