namespace Slipway.Release.Helm;

/// <summary>The chart a build works on: the one it (or <c>--chart-dir</c>) names, else the only chart under <c>charts/</c>.</summary>
/// <param name="Path">The chart's folder, absolute.</param>
/// <param name="Discovered">Whether it was found rather than named; the build says so, since nothing chose it.</param>
public sealed record ChartLocation(string Path, bool Discovered)
{
    public const string ChartsFolder = "charts";

    /// <param name="named">The folder the build or <c>--chart-dir</c> names, relative to <paramref name="root"/> or absolute; null to discover.</param>
    /// <exception cref="InvalidOperationException">None is named and <c>charts/</c> holds no chart, or several.</exception>
    public static ChartLocation Find(string root, string? named)
    {
        if (!string.IsNullOrWhiteSpace(named))
            return new ChartLocation(System.IO.Path.GetFullPath(named, root), Discovered: false);

        var folder = System.IO.Path.Combine(root, ChartsFolder);
        var charts = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Where(directory => File.Exists(System.IO.Path.Combine(directory, "Chart.yaml"))).Order(StringComparer.Ordinal).ToList()
            : [];
        const string Choose = "name the chart in the build (string IChartGates.ChartDirectory => \"charts/<name>\") or pass --chart-dir <folder>";
        return charts switch
        {
            [var only] => new ChartLocation(only, Discovered: true),
            [] => throw new InvalidOperationException($"No chart to work on: {folder} holds no folder with a Chart.yaml. Add one there, or {Choose}."),
            _ => throw new InvalidOperationException(
                $"Several charts under {folder} ({string.Join(", ", charts.Select(System.IO.Path.GetFileName))}) and none chosen: {Choose}."),
        };
    }

    public override string ToString() => Path;
}
