package io.meshlog.policy.cli;

import io.meshlog.policy.analyze.Analyzer;
import io.meshlog.policy.analyze.Codes;
import io.meshlog.policy.analyze.Finding;
import io.meshlog.policy.analyze.Workload;
import io.meshlog.policy.analyze.WorkloadsFile;
import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.model.PolicyKey;
import io.meshlog.policy.model.PolicyKinds;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.v1.PolicyKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl analyze -f FILE|DIR [--workloads FILE]}: offline checks with stable codes. */
@Command(name = "analyze", description = "Check documents against each other, known workloads and (--live) the policies in force.",
        footer = {"", "Exit codes: 0 no error findings, 1 error findings, 2 usage error."})
final class AnalyzeCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, description = "file, directory or -")
    List<String> files;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    @Option(names = "--workloads", description = "YAML file listing known workloads (namespace, name, serviceAccount, labels, sidecar)")
    Path workloadsFile;

    @Option(names = {"-o", "--output"}, defaultValue = "table")
    Output.Format format;

    @Option(names = "--live", description = "also check against the policies in force on the server (files win on the same name)")
    boolean live;

    @Override
    public Integer call() {
        var sources = InputFiles.read(files, namespace, meshctl.stdin());
        var findings = new ArrayList<Finding>();
        var documents = new ArrayList<PolicyDocument>();
        var invalid = new ArrayList<Finding>();
        for (var source : sources) {
            var doc = source.parsed().document();
            if (doc != null) {
                documents.add(doc);
            }
            for (var v : InputFiles.check(source)) {
                invalid.add(new Finding(v.code() != null ? v.code() : Codes.INVALID, v.isError() ? Finding.Severity.ERROR : Finding.Severity.WARNING,
                        doc == null ? source.parsed().label() : doc.kind().name() + " " + doc.namespace() + "/" + doc.name(),
                        v.path(), (v.line() > 0 ? source.file() + ":" + v.line() + ": " : "") + v.message(),
                        v.code() != null ? "see docs/istio-compatibility.md" : "fix the document"));
            }
        }
        if (live) {
            var inFiles = new HashSet<PolicyKey>();
            documents.forEach(d -> inFiles.add(d.key()));
            livePolicies().stream().filter(d -> !inFiles.contains(d.key())).forEach(documents::add);
        }
        findings.addAll(new Analyzer(workloads()).analyze(documents));
        var reported = new HashSet<String>();
        findings.forEach(f -> reported.add(f.resource() + "|" + f.path()));
        invalid.stream().filter(f -> !reported.contains(f.resource() + "|" + f.path())).forEach(findings::add);
        print(findings);
        return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR) ? 1 : 0;
    }

    private void print(List<Finding> findings) {
        var out = spec.commandLine().getOut();
        if (format == Output.Format.json || format == Output.Format.yaml) {
            var items = new JsonArray();
            findings.forEach(f -> items.add(new JsonObject().put("code", f.code()).put("severity", f.severity().name())
                    .put("resource", f.resource()).put("path", f.path()).put("message", f.message()).put("hint", f.hint())));
            if (format == Output.Format.json) {
                Output.json(out, new JsonObject().put("findings", items));
            } else {
                Output.yaml(out, List.of(new JsonObject().put("findings", items)));
            }
            return;
        }
        if (findings.isEmpty()) {
            out.println("✔ No issues found.");
            out.flush();
            return;
        }
        for (var f : findings) {
            var severity = f.severity().name().charAt(0) + f.severity().name().substring(1).toLowerCase(java.util.Locale.ROOT);
            out.println(String.format("%-7s [%s] (%s) %s%s", severity, f.code(), f.resource(),
                    f.path().isEmpty() ? "" : f.path() + ": ", f.message()));
            out.println("        hint: " + f.hint());
        }
        var errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
        out.println(findings.size() + " finding(s), " + errors + " error(s)");
        out.flush();
    }

    /** Every policy in force, read back through the API and parsed like a file. */
    private List<PolicyDocument> livePolicies() {
        var client = meshctl.client();
        var parser = new DocumentParser(YamlLimits.DEFAULT);
        var out = new ArrayList<PolicyDocument>();
        for (var kind : PolicyKind.values()) {
            for (var item : Output.items(client.get(ApiClient.BASE + "/" + PolicyKinds.plural(kind)).body())) {
                item.getJsonObject("metadata").remove("generation");
                var parsed = parser.parse(item.encode(), "default").get(0);
                if (parsed.document() != null) {
                    out.add(parsed.document());
                }
            }
        }
        return out;
    }

    private List<Workload> workloads() {
        if (workloadsFile == null) {
            return null;
        }
        try {
            return WorkloadsFile.parse(Files.readString(workloadsFile));
        } catch (IOException e) {
            throw new CliException("error: cannot read " + workloadsFile + ": " + e.getMessage(), List.of(), 2);
        } catch (IllegalArgumentException e) {
            throw new CliException("error: " + workloadsFile + ": " + e.getMessage(), List.of(), 2);
        }
    }
}
