package org.pvlifecycle.systemtests;

/** A command and what its request got. */
record Sent(Command command, Answer answer) {
}
