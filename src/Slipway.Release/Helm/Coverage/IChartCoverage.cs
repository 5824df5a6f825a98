using System.Globalization;

namespace Slipway.Release.Helm.Coverage;

/// <summary>Branch coverage of a chart's templates over its values cases (defaults + <c>ci/*.yaml</c>), optionally a gate.</summary>
public interface IChartCoverage : IChartGates
{
    [Parameter("Fail ChartCoverage when rendered branches are below this percentage of the measurable ones (unset: report only)"), Range(Minimum = 0, Maximum = 100)]
    double? MinBranchCoverage => ParameterValue<double?>(nameof(MinBranchCoverage));

    string CoverageDirectory => Path.Combine(RootDirectory, "artifacts", "coverage");

    Target ChartCoverage => _ => _
        .Description("Which template branches the values cases render (instrumented helm renders); artifacts/coverage/chart-coverage.json")
        .Produces(async ct =>
        {
            var helm = await HelmAsync(ct);
            var result = await new ChartCoverageAnalyzer(helm, Log, KubeVersion, CreateTemporaryDirectory).AnalyzeAsync(ChartPath, ChartCases.Valid(ChartPath), ct);

            foreach (var line in ChartCoverageReport.ToTable(result))
                Log.Info(line);
            Directory.CreateDirectory(CoverageDirectory);
            var json = Path.Combine(CoverageDirectory, "chart-coverage.json");
            await File.WriteAllTextAsync(json, ChartCoverageReport.ToJson(result), ct);
            Log.Info($"wrote {Path.GetRelativePath(RootDirectory, json)}");
            Report.AddSection($"Chart branch coverage: {result.Chart}", ChartCoverageReport.ToMarkdown(result));

            if (MinBranchCoverage is { } minimum && result.Percent < minimum)
            {
                var missing = result.Uncovered.Select(branch => $"  {branch.Location} ({branch.Side}) {branch.Branch}");
                throw new InvalidOperationException(
                    $"Branch coverage {ChartCoverageReport.Percent(result)} is below --min-branch-coverage {minimum.ToString(CultureInfo.InvariantCulture)}%; "
                    + $"no values case renders:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
            }

            return result;
        });
}
