package org.pvlifecycle.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Quarkus loads test classes and test resources in class loaders of its own, and may make new
 * ones between test classes; a plain static field would then start a second broker. Every shared
 * resource of the testkit therefore lives in the copy of its class that the JVM's system class
 * loader holds, and other copies forward their calls there. Only strings and void cross over.
 */
final class JvmWide {

    /** True when this copy of {@code owner} is the JVM-wide one (or no system copy exists). */
    static boolean isHome(Class<?> owner) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (owner.getClassLoader() == system) {
            return true;
        }
        try {
            Class.forName(owner.getName(), false, system);
            return false;
        } catch (ClassNotFoundException notOnSystemPath) {
            return true;
        }
    }

    /** Calls the static method {@code name} on the JVM-wide copy of {@code owner}. */
    static Object call(Class<?> owner, String name, Object... args) {
        try {
            Class<?> home = Class.forName(owner.getName(), true, ClassLoader.getSystemClassLoader());
            Class<?>[] types = new Class<?>[args.length];
            for (int i = 0; i < args.length; i++) {
                types[i] = args[i].getClass();
            }
            Method method = home.getDeclaredMethod(name, types);
            method.setAccessible(true);
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the JVM-wide " + owner.getSimpleName(), e);
        }
    }

    private JvmWide() {
    }
}
