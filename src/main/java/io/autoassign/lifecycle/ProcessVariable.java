package io.autoassign.lifecycle;

import java.util.Date;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.spin.plugin.variable.SpinValues;

/**
 * A process variable the code and a diagram share: its name and its type, read and written
 * typed, so that no delegate casts a plain {@code getVariable(String)}. Transient variables steer
 * the transaction that sets them and are never written to the database.
 *
 * @param <T> the Java type the code sees
 */
public final class ProcessVariable<T> {

	private final String name;

	private final boolean readByDiagram;

	private final BiFunction<T, Boolean, TypedValue> writer;

	private final Function<Object, T> reader;

	private final boolean isTransient;

	private ProcessVariable(String name, boolean readByDiagram, BiFunction<T, Boolean, TypedValue> writer,
			Function<Object, T> reader, boolean isTransient) {
		this.name = name;
		this.readByDiagram = readByDiagram;
		this.writer = writer;
		this.reader = reader;
		this.isTransient = isTransient;
	}

	/** A text variable. */
	public static ProcessVariable<String> text(String name) {
		return new ProcessVariable<>(name, false, Variables::stringValue, (value) -> value.toString(), false);
	}

	/** A whole number (forms submit numbers as Long: any whole number is read). */
	public static ProcessVariable<Integer> integer(String name) {
		return new ProcessVariable<>(name, false, Variables::integerValue, (value) -> ((Number) value).intValue(),
				false);
	}

	/** A long whole number. */
	public static ProcessVariable<Long> longInteger(String name) {
		return new ProcessVariable<>(name, false, Variables::longValue, (value) -> ((Number) value).longValue(), false);
	}

	/** A yes or no. */
	public static ProcessVariable<Boolean> bool(String name) {
		return new ProcessVariable<>(name, false, Variables::booleanValue, (value) -> (Boolean) value, false);
	}

	/** A point in time (what timers read). */
	public static ProcessVariable<Date> date(String name) {
		return new ProcessVariable<>(name, false, Variables::dateValue, (value) -> (Date) value, false);
	}

	/** A JSON document (what forms read for their option lists), given as its text. */
	public static ProcessVariable<String> json(String name) {
		return new ProcessVariable<>(name, false,
				(value, isTransient) -> SpinValues.jsonValue(value).setTransient(isTransient).create(),
				(value) -> value.toString(), false);
	}

	/** One of an enum's constants, stored as its name (what gateway conditions compare). */
	public static <E extends Enum<E>> ProcessVariable<E> constant(String name, Class<E> type) {
		return new ProcessVariable<>(name, false, (value, isTransient) -> Variables.stringValue(value.name(), isTransient),
				(value) -> Enum.valueOf(type, value.toString()), false);
	}

	/** The same variable, kept only for the transaction that sets it. */
	public ProcessVariable<T> transientValue() {
		return new ProcessVariable<>(this.name, this.readByDiagram, this.writer, this.reader, true);
	}

	/**
	 * The same variable, which the diagram must read (an expression names it): a diagram that no
	 * longer does is refused at deployment (see {@link ProcessBindings}).
	 */
	public ProcessVariable<T> readByDiagram() {
		return new ProcessVariable<>(this.name, true, this.writer, this.reader, this.isTransient);
	}

	/** The variable's name, as the diagram's expressions and forms use it. */
	public String name() {
		return this.name;
	}

	/** Whether the diagram must read it. */
	public boolean isReadByDiagram() {
		return this.readByDiagram;
	}

	@Override
	public String toString() {
		return this.name;
	}

	/** The value in the scope or its parents; {@code null} when absent. */
	public T get(VariableScope scope) {
		return read(scope.getVariable(this.name));
	}

	/** The value in the scope itself (an element's input parameter); {@code null} when absent. */
	public T getLocal(VariableScope scope) {
		return read(scope.getVariableLocal(this.name));
	}

	/** Sets the value (typed, transient if the variable is). */
	public void set(VariableScope scope, T value) {
		scope.setVariable(this.name, typed(value));
	}

	/** Removes the variable from the scope. */
	public void remove(VariableScope scope) {
		scope.removeVariable(this.name);
	}

	/** Adds the value to variables handed to a start or a correlation. */
	public VariableMap putInto(VariableMap variables, T value) {
		return variables.putValueTyped(this.name, typed(value));
	}

	private TypedValue typed(T value) {
		return value == null ? Variables.untypedNullValue(this.isTransient) : this.writer.apply(value, this.isTransient);
	}

	private T read(Object value) {
		return value == null ? null : this.reader.apply(value);
	}

}
