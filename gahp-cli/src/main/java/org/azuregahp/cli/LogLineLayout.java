package org.azuregahp.cli;

import java.time.Instant;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

/**
 * One log line: {@code 2026-11-27T10:15:30.123Z WARN  [thread] logger - message}, then the stack
 * trace if there is one. Written by hand instead of a logback pattern: compiling a pattern costs
 * tens of milliseconds at start-up, right when the gridmanager waits for its first answer.
 */
final class LogLineLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(Instant.ofEpochMilli(event.getTimeStamp())).append(' ');
        String level = event.getLevel().toString();
        sb.append(level);
        for (int i = level.length(); i < 5; i++) {
            sb.append(' ');
        }
        sb.append(" [").append(event.getThreadName()).append("] ").append(event.getLoggerName()).append(" - ")
                .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            sb.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return sb.toString();
    }
}
