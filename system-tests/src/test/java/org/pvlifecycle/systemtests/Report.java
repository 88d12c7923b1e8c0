package org.pvlifecycle.systemtests;

import java.util.ArrayList;
import java.util.List;

/** The suite's output: each scenario's table as it ends, and the summary when the suite ends. */
final class Report implements AutoCloseable {
    private final List<Audit> audits = new ArrayList<>();

    synchronized void add(Audit audit) {
        audits.add(audit);
        System.out.println(audit.table());
    }

    @Override
    public synchronized void close() {
        StringBuilder out = new StringBuilder(String.format("%n== Summary: every scenario ==%n"));
        out.append(Audit.summaryHeader()).append('\n');
        audits.forEach(audit -> out.append(audit.summaryRow()).append('\n'));
        System.out.println(out);
    }
}
