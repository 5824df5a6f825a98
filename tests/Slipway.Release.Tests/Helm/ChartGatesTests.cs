using System.Text.RegularExpressions;
using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Helm;

/// <summary>The gate targets on a copy of the shipped chart, with the real helm: green as shipped, red naming each injected breakage.</summary>
[Trait("Category", "Integration")]
public sealed class ChartGatesTests : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.ForBuild();

    public ChartGatesTests() => Repository.CopyDirectory(Repository.ShippedChart, ChartDirectory);

    private string ChartDirectory => _root.Combine("charts", "beacon");

    public void Dispose() => _root.Dispose();

    private sealed class GateBuild : SlipwayBuild, IChartGates
    {
        Target Default => _ => _.DependsOn<IChartGates>();
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task The_shipped_chart_passes_every_gate_and_each_case_is_rendered(string helmLine)
    {
        var (exitCode, output) = await RunAsync(await HelmLines.BuildArgumentsAsync(helmLine));

        Assert.True(exitCode == 0, output);
        Assert.Contains($"helm v{helmLine} from --helm (SLIPWAY_HELM)", output);
        foreach (var values in ChartCases.Valid(ChartDirectory))
            Assert.True(File.Exists(_root.Combine("artifacts", "manifests", $"{values.Name}.yaml")), values.Name);
        foreach (var invalid in ChartCases.Invalid(ChartDirectory))
            Assert.Contains($"rejected as expected: ci/invalid/{invalid.Name} ({invalid.ExpectedError})", output);
        // One line per lint case, helm's INFO folded in; helm's own lines only in the build log. The prefix's padding grows
        // when a longer target name logs while ChartLint still runs, so it is not part of the match.
        foreach (var values in ChartCases.Valid(ChartDirectory))
            Assert.Matches($@"(?m)^ChartLint +│ lint: {Regex.Escape(values.Name)}: passed \(\[INFO] Chart\.yaml: icon is recommended\)$", output);
        Assert.DoesNotContain("==> Linting", output);
        Assert.DoesNotContain("chart(s) linted", output);
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", await File.ReadAllTextAsync(_root.Combine(".nuke", "temp", "build.log")));
    }

    [Fact]
    public async Task Invalid_cases_with_no_values_schema_say_exactly_that_instead_of_each_being_accepted()
    {
        File.Delete(Path.Combine(ChartDirectory, "values.schema.json"));

        var (exitCode, output) = await RunAsync("ChartRender");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains($"charts/beacon has {ChartCases.Invalid(ChartDirectory).Count} ci/invalid case(s) (", output);
        Assert.Contains("but no values.schema.json, so nothing can reject them", output);
        Assert.Contains("Next step: restore charts/beacon/values.schema.json", output);
        Assert.DoesNotContain("accepted, but the schema must reject it", output);
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task An_invalid_case_rejected_for_another_path_fails_the_render_gate_naming_the_path(string helmLine)
    {
        var file = Path.Combine(ChartDirectory, "ci", "invalid", "unknown-nested-key.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("# expect-error: image.pullpolicy", "# expect-error: image.pullPolicy", StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync(["ChartRender", .. await HelmLines.BuildArgumentsAsync(helmLine)]);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("ci/invalid/unknown-nested-key: rejected, but the error does not name 'image.pullPolicy'", output);
        Assert.Contains("rejected as expected: ci/invalid/unknown-top-level-key (replicas)", output);
    }

    [Fact]
    public async Task An_expectation_that_is_not_a_values_path_fails_the_render_gate_saying_what_to_write()
    {
        var file = Path.Combine(ChartDirectory, "ci", "invalid", "unknown-nested-key.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("# expect-error: image.pullpolicy", "# expect-error: image: Additional property pullpolicy", StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync("ChartRender");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("unknown-nested-key.yaml: '# expect-error: image: Additional property pullpolicy' is not a values path", output);
    }

    [Theory]
    [InlineData("ManifestValidate", "templates/deployment.yaml", "          readOnlyRootFilesystem: true", "          readOnlyRootFilesytem: true", "readOnlyRootFilesytem|Deployment/|artifacts/manifests/default.yaml")]
    [InlineData("ChartPolicy", "templates/deployment.yaml", "          readOnlyRootFilesystem: true", "          readOnlyRootFilesytem: true", "Deployment/|readOnlyRootFilesytem: Property 'readOnlyRootFilesytem' not found|ChartPolicy not run: ManifestValidate failed")]
    [InlineData("ManifestValidate", "templates/deployment.yaml", "      {{- include \"beacon.selectorLabels\" . | nindent 6 }}", "      app.kubernetes.io/name: other", "Deployment/release-beacon: spec.template.metadata.labels: labels |app.kubernetes.io/name=beacon,|does not match spec.selector (matchLabels app.kubernetes.io/name=other)|Fix:")]
    [InlineData("ManifestValidate", "templates/service.yaml", "  name: {{ include \"beacon.fullname\" . }}", "  name: 1-beacon", "Service/1-beacon: metadata.name: '1-beacon' is not valid as a Service name: it must be a DNS-1035 label|e.g. 'x-1-beacon'")]
    [InlineData("ManifestValidate", "templates/deployment.yaml", "        - name: beacon\n", "        - name: Beacon_App\n", "spec.template.spec.containers[0].name: 'Beacon_App' is not valid as a container name|e.g. 'beacon-app'")]
    [InlineData("ManifestValidate", "templates/deployment.yaml", "      containers:\n", "      initContainers:\n        - name: beacon\n          image: \"registry.example.invalid/init:1.0.0\"\n      containers:\n", "spec.template.spec.containers[0].name: 'beacon' is also the name of spec.template.spec.initContainers[0]")]
    [InlineData("ManifestValidate", "templates/deployment.yaml", "              protocol: TCP\n", "              protocol: TCP\n            - name: http\n              containerPort: 9090\n", "spec.template.spec.containers[0].ports[1].name: 'http' is also the name of spec.template.spec.containers[0].ports[0]")]
    [InlineData("ManifestValidate", "templates/deployment.yaml", "containerPort: {{ .Values.containerPort }}", "containerPort: 70000", "spec.template.spec.containers[0].ports[0].containerPort: 70000 is out of range: a port must be between 1 and 65535")]
    [InlineData("ChartPolicy", "templates/deployment.yaml", "            runAsNonRoot: true\n            runAsUser: 10001", "            runAsNonRoot: false\n            runAsUser: 0", "SLW001|container 'beacon'")]
    [InlineData("ChartPolicy", "templates/deployment.yaml", "          image: {{ include \"beacon.image\" . | quote }}", "          image: \"registry.example.invalid/beacon:latest\"", "SLW009|latest")]
    [InlineData("ChartPolicy", "templates/deployment.yaml", "              path: /ready\n              port: http", "              path: /ready\n              port: metrics", "SLW008|metrics")]
    [InlineData("ChartPolicy", "templates/service.yaml", "    {{- include \"beacon.selectorLabels\" . | nindent 4 }}", "    app.kubernetes.io/name: nothing-here", "SLW014|Service/")]
    public async Task A_breakage_fails_its_gate_naming_what_is_wrong(string gate, string template, string find, string replace, string expected)
    {
        Edit(template, find, replace);

        var (exitCode, output) = await RunAsync(gate);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.All(expected.Split('|'), text => Assert.Contains(text, output));
    }

    [Fact]
    public async Task An_invalid_case_the_schema_accepts_fails_the_render_gate_naming_the_case()
    {
        await File.WriteAllTextAsync(Path.Combine(ChartDirectory, "ci", "invalid", "not-really-invalid.yaml"), "# expect-error: replicaCount\nreplicaCount: 2\n");

        var (exitCode, output) = await RunAsync("ChartRender");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("ci/invalid/not-really-invalid: accepted, but the schema must reject it (expected an error naming 'replicaCount')", output);
    }

    [Fact]
    public async Task A_lint_failure_fails_the_lint_gate()
    {
        await File.AppendAllTextAsync(Path.Combine(ChartDirectory, "templates", "service.yaml"), "{{ if }}\n");

        var (exitCode, output) = await RunAsync("ChartLint");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("service.yaml", output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ChartRender_runs_at_most_max_parallel_helm_renders_at_once(int maxParallel)
    {
        var log = new RecordingLog();
        var helm = await TestTools.ResolveAsync(PinnedTools.Helm, new ProcessRunner(log, new SecretRegistry()), log);
        var calls = _root.Combine("template-calls.log");
        var wrapper = _root.Combine("helm-recording-templates");
        // Lines shorter than PIPE_BUF appended with O_APPEND never interleave, so the file orders every start and end.
        await File.WriteAllTextAsync(wrapper, $"""
            #!/usr/bin/env bash
            [ "$1" = template ] || exec '{helm.Path}' "$@"
            echo "start $$" >> '{calls}'
            '{helm.Path}' "$@"; code=$?
            echo "end $$" >> '{calls}'
            exit $code
            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, output) = await RunAsync("ChartRender", "--helm", wrapper, "--max-parallel", $"{maxParallel}");

        Assert.True(exitCode == 0, output);
        var events = await File.ReadAllLinesAsync(calls);
        var running = 0;
        var mostAtOnce = events.Max(line => running += line.StartsWith("start", StringComparison.Ordinal) ? 1 : -1);
        Assert.Equal(ChartCases.Valid(ChartDirectory).Count + ChartCases.Invalid(ChartDirectory).Count, events.Length / 2);
        Assert.InRange(mostAtOnce, 1, maxParallel);
    }

    private void Edit(string relativePath, string find, string replace)
    {
        var path = Path.Combine(ChartDirectory, relativePath);
        var text = File.ReadAllText(path);
        Assert.True(text.Contains(find, StringComparison.Ordinal), $"{relativePath} no longer contains the text this test breaks: {find}");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    private Task<InProcessBuild> RunAsync(params string[] targets) => InProcessBuild.RunAsync<GateBuild>(_root.Path, targets);
}
