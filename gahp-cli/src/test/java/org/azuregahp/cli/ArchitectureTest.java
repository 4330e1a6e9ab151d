package org.azuregahp.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.FileDescriptor;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * The module graph's rules that Maven alone cannot keep, checked on the bytecode of every module
 * (gahp-cli's classpath holds them all): only the composition root touches the adapters, the
 * adapters and the domain never reach each other, only the shell uses JLine, and nothing but the
 * protocol writer touches stdout. (The domain's own purity: gahp-domain's DomainPurityTest.)
 */
class ArchitectureTest {

    static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.azuregahp");

    /** The composition root and its nested classes. */
    static final String ROOT = "org\\.azuregahp\\.cli\\.Wiring(\\$.*)?";

    @Test
    void everyModuleIsThere() {
        for (String pkg : new String[] {"org.azuregahp.ports", "org.azuregahp.domain.engine", "org.azuregahp.fake",
                "org.azuregahp.azure", "org.azuregahp.cli"}) {
            assertThat(ALL.containPackage(pkg)).as(pkg).isTrue();
        }
    }

    @Test
    void onlyTheCompositionRootTouchesTheAdapters() {
        noClasses().that().resideInAPackage("org.azuregahp..").and().resideOutsideOfPackage("org.azuregahp.fake..")
                .and().haveNameNotMatching(ROOT)
                .should().dependOnClassesThat().resideInAPackage("org.azuregahp.fake..")
                .because("the cloud is chosen in one place, Wiring").check(ALL);
        noClasses().that().resideInAPackage("org.azuregahp..").and().resideOutsideOfPackage("org.azuregahp.azure..")
                .and().haveNameNotMatching(ROOT)
                .should().dependOnClassesThat().resideInAPackage("org.azuregahp.azure..")
                .because("the cloud is chosen in one place, Wiring").check(ALL);
    }

    @Test
    void theAdaptersKnowOnlyThePortsAndThePortsOnlyTheJdk() {
        noClasses().that().resideInAnyPackage("org.azuregahp.fake..", "org.azuregahp.azure..")
                .should().dependOnClassesThat().resideInAnyPackage("org.azuregahp.domain..", "org.azuregahp.cli..")
                .check(ALL);
        noClasses().that().resideInAPackage("org.azuregahp.fake..")
                .should().dependOnClassesThat().resideInAPackage("com.azure..").check(ALL);
        noClasses().that().resideInAPackage("org.azuregahp.ports..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.azuregahp.ports..", "java..")
                .because("gahp-ports is the JDK-only contract").check(ALL);
        noClasses().that().resideInAnyPackage("org.azuregahp.domain..", "org.azuregahp.ports..")
                .should().dependOnClassesThat().resideInAnyPackage("org.azuregahp.cli..", "org.azuregahp.fake..",
                        "org.azuregahp.azure..").check(ALL);
    }

    @Test
    void onlyTheShellUsesJLine() {
        noClasses().that().resideInAPackage("org.azuregahp..")
                .and().haveNameNotMatching("org\\.azuregahp\\.cli\\.(Repl|ReplSession|ReplCompleter|ReplHistory|GahpLineParser)(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("org.jline..")
                .because("JLine is for people at a terminal, never in front of HTCondor's pipe").check(ALL);
    }

    @Test
    void nothingButTheProtocolWriterTouchesStdout() {
        noClasses().that().resideInAPackage("org.azuregahp..")
                .and().doNotHaveFullyQualifiedName(ProtocolWriter.class.getName())
                .should().accessField(FileDescriptor.class, "out")
                .orShould().accessField(System.class, "out")
                .because("stdout is the protocol; ProtocolWriter is its one writer").check(ALL);
        noClasses().that().resideInAPackage("org.azuregahp..")
                .and().doNotHaveFullyQualifiedName(Main.class.getName())
                .should().callMethod(System.class, "setOut", PrintStream.class)
                .because("Main points System.out at stderr once, before anything else runs").check(ALL);
    }
}
