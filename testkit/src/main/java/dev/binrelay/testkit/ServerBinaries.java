package dev.binrelay.testkit;

import java.nio.file.Path;
import java.util.List;

/** The binaries of one server flavor (MySQL 8.0.31 or MariaDB) with a template data directory to copy. */
interface ServerBinaries {
    /** The server executable ({@code mysqld} or {@code mariadbd}). */
    Path server();

    /** The {@code --basedir} of the server. */
    Path baseDir();

    /** Copies the template data directory to {@code target}. */
    void copyTemplateTo(Path target);

    /** Options every server of this flavor starts with, besides the ones common to all. */
    List<String> launchOptions();
}
