package org.pvlifecycle.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rules every service's {@code domain} package keeps: pure Java, so that its decisions are
 * functions of their inputs, testable in milliseconds without a broker or a database. Each
 * service's tests call {@link #check(String)} with its base package (ArchUnit's core API, under
 * plain JUnit: no second test engine).
 */
public final class DomainRules {

    /** No framework, messaging, persistence, JSON binding, or this project's infrastructure. */
    public static final ArchRule NO_FRAMEWORK = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "io.smallrye..", "io.vertx..", "io.netty..", "jakarta..", "javax.ws..",
                    "org.eclipse.microprofile..", "org.hibernate..", "org.apache.kafka..", "com.fasterxml..",
                    "org.jboss..", "io.micrometer..", "org.pvlifecycle.eventstore..", "org.pvlifecycle.consumer..", "org.pvlifecycle.conventions..")
            .because("the domain is pure Java: state, decisions and rules, no framework");

    /** No files, sockets, HTTP, SQL or DNS: what the domain needs from outside is passed in. */
    public static final ArchRule NO_IO = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.net.http..", "java.nio.file..",
                    "java.nio.channels..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
            .orShould().callMethodWhere(lookingUpHosts())
            .because("the domain does no I/O: a test of a rule never waits on the network or a disk");

    /** Checks both rules on the classes of {@code basePackage} (main code only, not its tests). */
    public static void check(String basePackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
        NO_FRAMEWORK.check(classes);
        NO_IO.check(classes);
    }

    private static DescribedPredicate<JavaCall<?>> lookingUpHosts() {
        return DescribedPredicate.describe("a host name lookup", call ->
                call.getTargetOwner().getFullName().equals("java.net.InetAddress")
                        && (call.getName().equals("getAllByName") || call.getName().equals("getByName")
                        || call.getName().equals("getLocalHost")));
    }

    private DomainRules() {
    }
}
