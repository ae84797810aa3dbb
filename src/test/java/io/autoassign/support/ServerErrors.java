package io.autoassign.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the service logged as an unexpected failure (the 500s) while it is open, so that a
 * test that saw a 500 can say why in its own failure message (a CI run shows the assertion, not
 * the server's log).
 */
public final class ServerErrors extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private static final String PROBLEM_HANDLER = "io.autoassign.web.ProblemHandler";

	private final List<String> errors = new CopyOnWriteArrayList<>();

	private final Logger logger;

	private ServerErrors() {
		this.logger = (Logger) LoggerFactory.getLogger(PROBLEM_HANDLER);
	}

	/** Starts recording the service's unexpected failures. */
	public static ServerErrors record() {
		ServerErrors recorder = new ServerErrors();
		recorder.setContext(recorder.logger.getLoggerContext());
		recorder.start();
		recorder.logger.addAppender(recorder);
		return recorder;
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
			this.errors.add(event.getFormattedMessage() + ": " + describe(event.getThrowableProxy()));
		}
	}

	/** Every failure recorded, with its cause chain and where each cause was thrown. */
	public String describe() {
		return this.errors.isEmpty() ? "no unexpected failure logged"
				: this.errors.stream().collect(Collectors.joining("\n---\n"));
	}

	@Override
	public void close() {
		this.logger.detachAppender(this);
		stop();
	}

	private static String describe(IThrowableProxy throwable) {
		StringBuilder text = new StringBuilder();
		for (int depth = 0; throwable != null && depth < 8; depth++, throwable = throwable.getCause()) {
			text.append(depth == 0 ? "" : "\n  caused by ")
				.append(throwable.getClassName())
				.append(": ")
				.append(throwable.getMessage());
			int shown = 0;
			for (StackTraceElementProxy frame : throwable.getStackTraceElementProxyArray()) {
				String line = frame.getStackTraceElement().toString();
				if (line.startsWith("io.autoassign") && shown++ < 6) {
					text.append("\n    at ").append(line);
				}
			}
		}
		return text.toString();
	}

}
