package dev.binrelay.cli;

/** binrelay's process exit codes. */
final class ExitCodes {
    /** Done, or stopped on request; for the demo: source and target identical. */
    static final int OK = 0;
    /** The replica failed, or the demo found a difference. */
    static final int FAILED = 1;
    /** Bad configuration or command line. Picocli uses the same code for usage errors. */
    static final int BAD_CONFIG = 2;

    private ExitCodes() {
    }
}
