package io.meshlog.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Every meshlog package, in every module (this module depends on all of them), is free of cycles:
 * a package that needs another must not be needed by it, so each can be read, tested and moved on
 * its own. Maven already forbids cycles between modules; this guards the packages inside them.
 */
class PackageCyclesTest {

    @Test
    void noMeshlogPackageIsPartOfADependencyCycle() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.meshlog");
        assertThat(java.util.List.of("io.meshlog.proxy", "io.meshlog.pipeline", "io.meshlog.policy",
                "io.meshlog.cert", "io.meshlog.console", "io.meshlog.schemas", "io.meshlog.dev"))
                .as("every module's classes are checked")
                .allSatisfy(pkg -> assertThat(classes.containPackage(pkg)).as(pkg).isTrue());
        // (**) makes each package its own slice, sub-packages included as separate slices.
        slices().matching("io.meshlog.(**)").should().beFreeOfCycles().check(classes);
    }
}
