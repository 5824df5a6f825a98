using Slipway.Release.Helm;

/// <summary>The chart gates (ChartGates, in Ci) over charts/beacon; branch coverage must be 100% here (see .nuke/parameters.json).</summary>
partial class Build
{
    string? IChartGates.ChartDirectory => "charts/beacon";
}
