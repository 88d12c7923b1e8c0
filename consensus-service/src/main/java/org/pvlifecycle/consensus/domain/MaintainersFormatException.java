package org.pvlifecycle.consensus.domain;

/** A MAINTAINERS text that cannot be read as sections; names the 1-based line and what is wrong with it. */
public class MaintainersFormatException extends IllegalArgumentException {
    private final int line;

    public MaintainersFormatException(int line, String problem) {
        super("MAINTAINERS line " + line + ": " + problem);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
