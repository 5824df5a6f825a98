using Slipway.Release.Helm;

namespace Slipway.Release.Tests.Helm;

public sealed class HelmLintReportTests
{
    // helm 4.1.4's output for the shipped chart (checked with the real binary).
    private const string Passed = "==> Linting /work/charts/beacon\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n";

    [Fact]
    public void A_pass_is_one_line_with_its_findings_folded_in() =>
        Assert.Equal("lint: default: passed ([INFO] Chart.yaml: icon is recommended)", HelmLintReport.Summary("lint: default", Passed));

    [Fact]
    public void A_pass_without_findings_says_passed() =>
        Assert.Equal("lint: production: passed", HelmLintReport.Summary("lint: production", "==> Linting chart\n\n1 chart(s) linted, 0 chart(s) failed\n"));

    [Fact]
    public void The_whole_output_goes_to_the_log_at_debug_level_and_one_line_at_info()
    {
        var log = new RecordingLog();

        HelmLintReport.Log(log, "lint: default", Passed);

        Assert.Equal(["info: lint: default: passed ([INFO] Chart.yaml: icon is recommended)"], log.Lines.Where(line => !line.StartsWith("debug:", StringComparison.Ordinal)));
        Assert.Contains("debug: 1 chart(s) linted, 0 chart(s) failed", log.Lines);
    }
}
