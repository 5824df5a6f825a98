using Slipway.Release.Helm;

namespace Slipway.Release.Tests.Helm;

/// <summary>Which chart a build works on: the one it names, else the only one under charts/, else a clear error.</summary>
public sealed class ChartLocationTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_named_chart_is_used_as_given_relative_to_the_root()
    {
        AddChart("one");
        AddChart("two");

        Assert.Equal(new ChartLocation(_root.Combine("charts", "two"), Discovered: false), ChartLocation.Find(_root.Path, "charts/two"));
    }

    [Fact]
    public void With_none_named_the_only_chart_under_charts_is_found_and_marked_as_found()
    {
        AddChart("service");
        Directory.CreateDirectory(_root.Combine("charts", "not-a-chart"));

        Assert.Equal(new ChartLocation(_root.Combine("charts", "service"), Discovered: true), ChartLocation.Find(_root.Path, null));
    }

    [Fact]
    public void No_chart_under_charts_is_an_error_saying_where_it_looked_and_what_to_do()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChartLocation.Find(_root.Path, null));

        Assert.Contains($"{_root.Combine("charts")} holds no folder with a Chart.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("--chart-dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_charts_are_an_error_naming_them()
    {
        AddChart("api");
        AddChart("worker");

        var error = Assert.Throws<InvalidOperationException>(() => ChartLocation.Find(_root.Path, " "));

        Assert.Contains("Several charts under", error.Message, StringComparison.Ordinal);
        Assert.Contains("(api, worker) and none chosen", error.Message, StringComparison.Ordinal);
        Assert.Contains("IChartGates.ChartDirectory", error.Message, StringComparison.Ordinal);
    }

    private void AddChart(string name)
    {
        Directory.CreateDirectory(_root.Combine("charts", name));
        File.WriteAllText(_root.Combine("charts", name, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
    }
}
