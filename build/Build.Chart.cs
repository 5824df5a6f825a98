using Slipway;
using Slipway.Release.Helm;

/// <summary>The chart gates: lint, render, strict validation and policy over charts/beacon.</summary>
partial class Build : IChartGates
{
    Target ChartGates => _ => _
        .Description("Every chart gate: lint, render (valid and invalid cases), strict validation, policy")
        .DependsOn<IChartGates>();
}
