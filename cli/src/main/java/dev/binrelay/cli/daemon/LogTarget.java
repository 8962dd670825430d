package dev.binrelay.cli.daemon;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Where the console log goes: standard output for the daemon, standard error for commands that print a report. */
public final class LogTarget {
    private LogTarget() {
    }

    /** Moves every console appender of the root logger to standard error; does nothing without logback. */
    public static void useStandardError() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders = root.iteratorForAppenders();
             appenders.hasNext(); ) {
            if (appenders.next() instanceof ConsoleAppender<?> console && !"System.err".equals(console.getTarget())) {
                console.stop();
                console.setTarget("System.err");
                console.start();
            }
        }
    }
}
