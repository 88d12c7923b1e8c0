package org.pvlifecycle.systemtests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every scenario the one {@link Stack} and {@link Report} of the test run. Both live in the
 * root context's store: made by the first scenario that asks, closed by JUnit when the whole run
 * is over (the summary printed, every process stopped), whether the scenarios passed or not.
 */
final class StackExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace SYSTEM = ExtensionContext.Namespace.create(StackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Stack.class || type == Report.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(SYSTEM);
        if (parameter.getParameter().getType() == Report.class) {
            return store.computeIfAbsent(Report.class, type -> new Report(), Report.class);
        }
        return store.computeIfAbsent(Stack.class, type -> Stack.start(), Stack.class);
    }
}
