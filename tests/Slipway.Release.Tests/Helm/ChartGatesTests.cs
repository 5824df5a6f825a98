using Slipway.Release.Helm;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.Helm;

/// <summary>The gate targets on a copy of the shipped chart, with the real helm: green as shipped, red naming each injected breakage.</summary>
[Trait("Category", "Integration")]
public sealed class ChartGatesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("slipway-gates-").FullName;

    public ChartGatesTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".nuke"));
        Repository.CopyDirectory(Repository.ShippedChart, ChartDirectory);
    }

    private string ChartDirectory => Path.Combine(_root, "charts", "beacon");

    public void Dispose() => Directory.Delete(_root, recursive: true);

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
            Assert.True(File.Exists(Path.Combine(_root, "artifacts", "manifests", $"{values.Name}.yaml")), values.Name);
        foreach (var invalid in ChartCases.Invalid(ChartDirectory))
            Assert.Contains($"rejected as expected: ci/invalid/{invalid.Name} ({invalid.ExpectedError})", output);
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

    [Fact]
    public async Task A_typoed_field_fails_validation_naming_the_object_and_the_field()
    {
        Edit("templates/deployment.yaml", "          readOnlyRootFilesystem: true", "          readOnlyRootFilesytem: true");

        var (exitCode, output) = await RunAsync("ManifestValidate");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("readOnlyRootFilesytem", output);
        Assert.Contains("Deployment/", output);
        Assert.Contains("artifacts/manifests/default.yaml", output);
    }

    [Fact]
    public async Task A_root_container_fails_the_policy_naming_the_rule()
    {
        Edit("templates/deployment.yaml", "            runAsNonRoot: true\n            runAsUser: 10001", "            runAsNonRoot: false\n            runAsUser: 0");

        var (exitCode, output) = await RunAsync("ChartPolicy");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("SLW001", output);
        Assert.Contains("container 'beacon'", output);
    }

    [Fact]
    public async Task A_latest_image_fails_the_policy()
    {
        Edit("templates/deployment.yaml", "          image: {{ include \"beacon.image\" . | quote }}", "          image: \"registry.example.invalid/beacon:latest\"");

        var (exitCode, output) = await RunAsync("ChartPolicy");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("SLW009", output);
        Assert.Contains("latest", output);
    }

    [Fact]
    public async Task A_probe_on_a_port_the_container_lacks_fails_the_policy()
    {
        Edit("templates/deployment.yaml", "              path: /ready\n              port: http", "              path: /ready\n              port: metrics");

        var (exitCode, output) = await RunAsync("ChartPolicy");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("SLW008", output);
        Assert.Contains("metrics", output);
    }

    [Fact]
    public async Task A_service_selector_that_matches_nothing_fails_the_policy()
    {
        Edit("templates/service.yaml", "    {{- include \"beacon.selectorLabels\" . | nindent 4 }}", "    app.kubernetes.io/name: nothing-here");

        var (exitCode, output) = await RunAsync("ChartPolicy");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("SLW014", output);
        Assert.Contains("Service/", output);
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

    private void Edit(string relativePath, string find, string replace)
    {
        var path = Path.Combine(ChartDirectory, relativePath);
        var text = File.ReadAllText(path);
        Assert.True(text.Contains(find, StringComparison.Ordinal), $"{relativePath} no longer contains the text this test breaks: {find}");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] targets)
    {
        var output = new StringWriter();
        var exitCode = await new GateBuild().InvokeAsync(new BuildInvocation(targets, _root, output));
        return (exitCode, output.ToString());
    }
}
