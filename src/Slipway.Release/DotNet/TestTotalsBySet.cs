namespace Slipway.Release.DotNet;

/// <summary>The totals of every test set a build has run so far, summed for its closing "Tests:" line.</summary>
internal sealed class TestTotalsBySet
{
    private readonly Dictionary<string, TestTotals> _sets = [];

    public TestTotals Record(string set, TestTotals totals)
    {
        lock (_sets)
        {
            _sets[set] = totals;
            return _sets.Values.Aggregate(TestTotals.None, (sum, next) => sum + next);
        }
    }
}
