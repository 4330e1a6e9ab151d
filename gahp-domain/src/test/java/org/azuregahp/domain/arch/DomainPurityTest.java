package org.azuregahp.domain.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Keeps the domain pure, checked on its bytecode (so an import, a fully qualified name and a field
 * access count alike): no SDK, no JLine, no logging, no file, network, process or console I/O; only
 * the ports and the JDK. Justified exceptions: none.
 */
class DomainPurityTest {

    static final JavaClasses DOMAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.azuregahp.domain");

    @Test
    void theDomainIsThere() {
        assertThat(DOMAIN.size()).as("domain classes found").isGreaterThan(40);
    }

    @Test
    void noSdkNoJLineNoLogging() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage("com.azure..", "com.microsoft..",
                "reactor..", "io.netty..", "com.fasterxml..", "org.jline..", "org.slf4j..", "ch.qos.logback..",
                "java.util.logging..", "org.azuregahp.fake..", "org.azuregahp.azure..", "org.azuregahp.cli..")
                .because("the domain is pure Java over the ports"));
    }

    @Test
    void noFileNetworkProcessOrConsoleIo() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..",
                "java.nio.channels..", "java.net..", "java.net.http..", "java.lang.management..")
                .because("the domain does no I/O of its own; the front ends and adapters do"));
        check(noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Process")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Runtime")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.System$Logger")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Console"));
        check(noClasses().should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "in")
                .orShould().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(Throwable.class, "printStackTrace"));
    }

    @Test
    void theDomainDependsOnlyOnItselfThePortsAndTheJdk() {
        check(noClasses().should().dependOnClassesThat().resideOutsideOfPackages("org.azuregahp.domain..",
                "org.azuregahp.ports..", "java..")
                .because("gahp-domain depends on gahp-ports and nothing else"));
    }

    @Test
    void theCodecResultCommandAndClientLayersDoNotReachIntoTheEngine() {
        check(noClasses().that().resideInAnyPackage("org.azuregahp.domain.codec..", "org.azuregahp.domain.result..",
                "org.azuregahp.domain.command..", "org.azuregahp.domain.client..")
                .should().dependOnClassesThat().resideInAPackage("org.azuregahp.domain.engine.."));
        check(noClasses().that().resideInAnyPackage("org.azuregahp.domain.codec..", "org.azuregahp.domain.result..")
                .should().dependOnClassesThat().resideInAnyPackage("org.azuregahp.domain.command..",
                        "org.azuregahp.domain.client.."));
    }

    private static void check(ArchRule rule) {
        rule.check(DOMAIN);
    }
}
