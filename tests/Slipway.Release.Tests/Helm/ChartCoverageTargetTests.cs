using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Helm.Coverage;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Helm;

/// <summary>The ChartCoverage target in-process with the real helm: report, JSON artifact, and the gate.</summary>
[Trait("Category", "Integration")]
public sealed class ChartCoverageTargetTests : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.ForBuild();

    public void Dispose() => _root.Dispose();

    private sealed class CoverageBuild : SlipwayBuild, IChartCoverage;

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task The_shipped_chart_passes_at_100_percent_and_the_report_is_written(string helmLine)
    {
        var (exitCode, output) = await RunAsync(["ChartCoverage", "--chart-dir", Repository.ShippedChart, "--min-branch-coverage", "100", .. await HelmLines.BuildArgumentsAsync(helmLine)]);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"helm v{helmLine} from --helm (SLIPWAY_HELM)", output);
        Assert.Contains("templates/_helpers.tpl", output);
        Assert.Contains("100% of measurable branches", output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(_root.Combine("artifacts", "coverage", "chart-coverage.json")));
        Assert.Equal(100, json.RootElement.GetProperty("summary").GetProperty("percent").GetDouble());
        Assert.Equal("rendered", json.RootElement.GetProperty("templates")[0].GetProperty("branches")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Below_the_minimum_the_target_fails_naming_each_branch_never_rendered()
    {
        var chart = await ScaffoldAsync();

        var (exitCode, output) = await RunAsync("ChartCoverage", "--chart-dir", chart, "--min-branch-coverage", "90");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("is below --min-branch-coverage 90%", output);
        Assert.Contains("templates/ingress.yaml:1 (then) if .Values.ingress.enabled", output);
        Assert.Contains("templates/hpa.yaml:1 (then) if .Values.autoscaling.enabled", output);
    }

    [Fact]
    public async Task Without_a_minimum_the_target_only_reports()
    {
        var chart = await ScaffoldAsync();

        var (exitCode, output) = await RunAsync("ChartCoverage", "--chart-dir", chart);

        Assert.True(exitCode == 0, output);
        Assert.Contains("never rendered: templates/ingress.yaml:1 (then) if .Values.ingress.enabled", output);
    }

    private async Task<string> ScaffoldAsync()
    {
        var log = new RecordingLog();
        var secrets = new SecretRegistry();
        var tool = await HelmLines.ResolveAsync(HelmLines.Helm4, new ProcessRunner(log, secrets), log);
        await new ProcessRunner(log, secrets).RunAsync(new ToolCommand(tool.Path, "create", "scaffold") { WorkingDirectory = _root.Path, StreamOutput = false });
        return _root.Combine("scaffold");
    }

    private Task<InProcessBuild> RunAsync(params string[] arguments) => InProcessBuild.RunAsync<CoverageBuild>(_root.Path, arguments);
}
