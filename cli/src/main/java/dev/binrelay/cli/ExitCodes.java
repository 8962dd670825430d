package dev.binrelay.cli;

/** binrelay's process exit codes. */
public final class ExitCodes {
    /** Done, or stopped on request; for the demo: source and target identical. */
    public static final int OK = 0;
    /** The replica failed, or the demo found a difference. */
    public static final int FAILED = 1;
    /** Bad configuration or command line. Picocli uses the same code for usage errors. */
    public static final int BAD_CONFIG = 2;

    private ExitCodes() {
    }
}
