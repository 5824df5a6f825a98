using Slipway;
using Slipway.Release.Helm;
using Slipway.Release.Helm.Coverage;

/// <summary>
/// The chart gates: lint, render, strict validation and policy over charts/beacon. IChartCoverage extends IChartGates,
/// so DependsOn&lt;IChartGates&gt; also runs ChartCoverage in Ci: a report only until --min-branch-coverage is set.
/// </summary>
partial class Build : IChartGates, IChartCoverage
{
    Target ChartGates => _ => _
        .Description("Every chart gate: lint, render (valid and invalid cases), strict validation, policy")
        .DependsOn<IChartGates>();
}
