package io.geored.adapters.http.internal;

import io.geored.spi.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

/**
 * The logger of every class in this module: a plain slf4j logger whose arguments pass through
 * {@link LogSafe} before they are written, so a value that came from a request or a peer (a name,
 * an endpoint, a region name, a peer's error text) can never start a second, forged log line.
 * Numbers, booleans and enums are passed as they are; the message pattern is the code's own.
 */
public final class EscapingLogger extends AbstractLogger {

  private static final long serialVersionUID = 1L;

  private final transient Logger delegate;

  private EscapingLogger(Logger delegate) {
    this.delegate = delegate;
    this.name = delegate.getName();
  }

  /**
   * The escaping logger of a class.
   *
   * @param type the class that logs
   * @return its logger
   */
  public static Logger of(Class<?> type) {
    return new EscapingLogger(LoggerFactory.getLogger(type));
  }

  /**
   * Wraps a logger.
   *
   * @param delegate the logger that writes
   * @return the escaping logger
   */
  public static Logger wrap(Logger delegate) {
    return new EscapingLogger(delegate);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    Object[] safe = null;
    if (arguments != null) {
      safe = new Object[arguments.length];
      for (int i = 0; i < arguments.length; i++) {
        safe[i] = safe(arguments[i]);
      }
    }
    org.slf4j.spi.LoggingEventBuilder event = delegate.atLevel(level);
    if (marker != null) {
      event = event.addMarker(marker);
    }
    if (throwable != null) {
      event = event.setCause(throwable);
    }
    if (safe == null) {
      event.log(pattern);
    } else {
      event.log(pattern, safe);
    }
  }

  private static Object safe(Object argument) {
    if (argument == null
        || argument instanceof Number
        || argument instanceof Boolean
        || argument instanceof Enum<?>) {
      return argument;
    }
    return LogSafe.escape(String.valueOf(argument));
  }

  @Override
  public boolean isTraceEnabled() {
    return delegate.isTraceEnabled();
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return delegate.isTraceEnabled(marker);
  }

  @Override
  public boolean isDebugEnabled() {
    return delegate.isDebugEnabled();
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return delegate.isDebugEnabled(marker);
  }

  @Override
  public boolean isInfoEnabled() {
    return delegate.isInfoEnabled();
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return delegate.isInfoEnabled(marker);
  }

  @Override
  public boolean isWarnEnabled() {
    return delegate.isWarnEnabled();
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return delegate.isWarnEnabled(marker);
  }

  @Override
  public boolean isErrorEnabled() {
    return delegate.isErrorEnabled();
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return delegate.isErrorEnabled(marker);
  }
}
