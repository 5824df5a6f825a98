using Slipway;
using Slipway.Release.Helm;
using Slipway.Release.Helm.Coverage;

/// <summary>The chart gates over charts/beacon: lint, render, strict validation, policy, and branch coverage (100% here, see .nuke/parameters.json).</summary>
partial class Build : IChartGates, IChartCoverage
{
    string? IChartGates.ChartDirectory => "charts/beacon";

    Target ChartGates => _ => _
        .Description("Every chart gate: lint, render (valid and invalid cases), strict validation, policy, branch coverage")
        .DependsOn<IChartCoverage>();
}
