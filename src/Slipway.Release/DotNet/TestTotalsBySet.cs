using System.Runtime.CompilerServices;

namespace Slipway.Release.DotNet;

/// <summary>The totals of every test set a build has run so far, summed for its closing "Tests:" line.</summary>
internal static class TestTotalsBySet
{
    private static readonly ConditionalWeakTable<object, Dictionary<string, TestTotals>> ByBuild = [];

    public static TestTotals Record(object build, string set, TestTotals totals)
    {
        var sets = ByBuild.GetOrCreateValue(build);
        lock (sets)
        {
            sets[set] = totals;
            return sets.Values.Aggregate(TestTotals.None, (sum, next) => sum + next);
        }
    }
}
