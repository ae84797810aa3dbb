package io.autoassign;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure README's <i>How it works</i> describes, kept by rules: each failure names the
 * rule it breaks and the dependency that breaks it. The packages form layers, each depending
 * only on those below it (platform, domain, security, settings, agent, chat, events,
 * assignment, queue, availability, lifecycle, invariants, webhooks; web and the controllers on top).
 */
@AnalyzeClasses(packages = "io.autoassign", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final ArchRule featurePackagesHaveNoCycles = slices().matching("io.autoassign.(*)..")
		.namingSlices("$1")
		.should()
		.beFreeOfCycles()
		.as("Rule 1: no cycles between the packages (a feature depends on what it needs, never back)");

	private static final ArchRule onlyLifecycleBindsTheEngine = noClasses().that()
		.resideOutsideOfPackage("io.autoassign.lifecycle..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.camunda.bpm.engine.delegate..")
		.as("Rule 2: only lifecycle imports org.camunda.bpm.engine.delegate (delegates, listeners, executions)");

	private static final ArchRule onlyTheRoutingCoreWritesChatRows = noClasses().that()
		.resideOutsideOfPackages("io.autoassign.chat", "io.autoassign.assignment")
		.should()
		.callMethodWhere(target(owner(name("io.autoassign.chat.ChatStore")))
			.and(target(nameMatching("(insert|set|record|delete|update|mark).*"))))
		.orShould()
		.dependOnClassesThat()
		.haveFullyQualifiedName("io.autoassign.assignment.RoutingRows")
		.as("Rule 3: only the routing core writes chat rows (chat's ChatStore creates them and records "
				+ "messages, assignment's RoutingRows writes who holds them)");

	private static final ArchRule chatsChangeHandsOnlyThroughPlacements = noClasses().that()
		.doNotHaveFullyQualifiedName("io.autoassign.assignment.Placements")
		.and()
		.doNotHaveFullyQualifiedName("io.autoassign.assignment.RoutingRows")
		.should()
		.callMethodWhere(target(owner(name("io.autoassign.assignment.RoutingRows")))
			.and(target(nameMatching("mark.*|transition"))))
		.as("Rule 3b: a chat changes hands only through assignment's Placements (the one caller of "
				+ "RoutingRows' writers, which bump the chat's event sequence)");

	private static final ArchRule controllersLiveInTheirFeatureOrWeb = classes().that()
		.areAnnotatedWith(RestController.class)
		.or()
		.areAnnotatedWith(Controller.class)
		.should()
		.resideInAnyPackage("io.autoassign.agent", "io.autoassign.chat", "io.autoassign.queue",
				"io.autoassign.settings", "io.autoassign.webhooks", "io.autoassign.web")
		.as("Rule 4: controllers live in the feature they serve (agent, chat, queue, settings, webhooks) or in web");

	private static final ArchRule onlyWebAndControllersUseWeb = noClasses().that()
		.resideOutsideOfPackage("io.autoassign.web..")
		.and(not(annotatedWith(RestController.class)))
		.and(not(annotatedWith(Controller.class)))
		.and(not(annotatedWith(RestControllerAdvice.class)))
		.should()
		.dependOnClassesThat(resideInAPackage("io.autoassign.web.."))
		.as("Rule 5: nothing but web and the controllers imports web (features throw domain failures, "
				+ "web maps them to problem documents)");

	private static final ArchRule processVariablesAreTyped = noClasses().that()
		.doNotHaveFullyQualifiedName("io.autoassign.lifecycle.ProcessVariable")
		.and()
		.doNotHaveFullyQualifiedName("io.autoassign.lifecycle.TemplateInputs")
		.and()
		.doNotHaveFullyQualifiedName("io.autoassign.lifecycle.SettingsTasks")
		.should()
		.callMethodWhere(target(owner(assignableTo("org.camunda.bpm.engine.delegate.VariableScope")))
			.and(target(nameMatching("(get|set|remove)Variable(Local)?"))))
		.as("Rule 6: process variables are read and written through the diagram classes' typed ProcessVariables "
				+ "(TemplateInputs reads the element templates' inputs; SettingsTasks maps the configuration's "
				+ "fields, which the settings form names)");

	@ArchTest
	void featurePackagesHaveNoCycles(JavaClasses classes) {
		featurePackagesHaveNoCycles.check(classes);
	}

	@ArchTest
	void onlyLifecycleBindsTheEngine(JavaClasses classes) {
		onlyLifecycleBindsTheEngine.check(classes);
	}

	@ArchTest
	void onlyTheRoutingCoreWritesChatRows(JavaClasses classes) {
		onlyTheRoutingCoreWritesChatRows.check(classes);
	}

	@ArchTest
	void chatsChangeHandsOnlyThroughPlacements(JavaClasses classes) {
		chatsChangeHandsOnlyThroughPlacements.check(classes);
	}

	@ArchTest
	void controllersLiveInTheirFeatureOrWeb(JavaClasses classes) {
		controllersLiveInTheirFeatureOrWeb.check(classes);
	}

	@ArchTest
	void onlyWebAndControllersUseWeb(JavaClasses classes) {
		onlyWebAndControllersUseWeb.check(classes);
	}

	@ArchTest
	void processVariablesAreTyped(JavaClasses classes) {
		processVariablesAreTyped.check(classes);
	}

}
