using System.Text.RegularExpressions;
using Slipway.Release.PrSmoke;

namespace Slipway.Release.Tests.PrSmoke;

public sealed partial class PrSmokeNamesTests
{
    private static readonly int?[] PullRequests = [null, 1, 7, 42, 999_999, 1_000_000_000, int.MaxValue];
    private static readonly long?[] RunIds = [null, 1, 12_345_678_901, 9_999_999_999_999_999, long.MaxValue];
    private static readonly int?[] Attempts = [null, 1, 2, 10_000, int.MaxValue];

    private static readonly string[] ChartNames =
    [
        "beacon", "", "-", "---", "Beacon_Chart.v2", "ALL-UPPER", "ßüñ-chärt", "a", new string('a', 200), new string('x', 47) + "-" + new string('y', 10),
        "pr-1-2-3", "local", "9starts-with-digit", "ends-with-dash-", "spaces in name", "dots.and.more.dots", "emoji-🚀-chart",
    ];

    [Fact]
    public void Every_combination_of_extreme_inputs_gives_valid_distinct_names_that_keep_the_suffix()
    {
        var random = new Random(1234);
        var inputs = PullRequests.SelectMany(pr => RunIds.SelectMany(run => Attempts.Select(attempt => new PrSmokeRunKey(pr, run, attempt)))).ToList();
        // Plus random ones, seeded so a failure reproduces.
        inputs.AddRange(Enumerable.Range(0, 300).Select(_ => new PrSmokeRunKey(
            random.Next(3) == 0 ? null : random.Next(1, int.MaxValue),
            random.Next(3) == 0 ? null : random.NextInt64(1, long.MaxValue),
            random.Next(3) == 0 ? null : random.Next(1, int.MaxValue))));

        foreach (var key in inputs)
        {
            var suffix = PrSmokeNames.RandomSuffix();
            var ns = PrSmokeNames.Namespace(key, suffix);
            Assert.True(ns.Length <= PrSmokeNames.NamespaceMaxLength, $"{ns} ({ns.Length}) for {key}");
            Assert.Matches(DnsLabel(), ns);
            Assert.EndsWith("-" + suffix, ns, StringComparison.Ordinal);

            var cluster = PrSmokeNames.KindCluster(key);
            Assert.True(cluster.Length <= PrSmokeNames.KindClusterMaxLength, $"{cluster} ({cluster.Length}) for {key}");
            Assert.Matches(KindName(), cluster);
            Assert.StartsWith("slipway-", cluster, StringComparison.Ordinal);

            foreach (var chart in ChartNames)
            {
                var release = PrSmokeNames.Release(chart, suffix, ns);
                Assert.True(release.Length <= PrSmokeNames.ReleaseMaxLength, $"{release} ({release.Length}) for chart '{chart}'");
                Assert.Matches(ReleaseName(), release);
                Assert.NotEqual(ns, release);
                Assert.EndsWith("-" + suffix, release, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_namespace_names_the_pull_request_run_and_attempt_when_they_fit()
    {
        Assert.Equal("pr-42-7002-1-x7k2p", PrSmokeNames.Namespace(new PrSmokeRunKey(42, 7002, 1), "x7k2p"));
        Assert.Equal("local-x7k2p", PrSmokeNames.Namespace(new PrSmokeRunKey(null, null, null), "x7k2p"));
        Assert.Equal("slipway-pr-42-7002-1", PrSmokeNames.KindCluster(new PrSmokeRunKey(42, 7002, 1)));
        Assert.Equal("beacon-x7k2p", PrSmokeNames.Release("beacon", "x7k2p", "pr-42-7002-1-x7k2p"));
    }

    [Fact]
    public void Two_runs_of_one_pull_request_never_share_a_namespace()
    {
        var key = new PrSmokeRunKey(42, 7002, 1);
        var names = Enumerable.Range(0, 500).Select(_ => PrSmokeNames.Namespace(key, PrSmokeNames.RandomSuffix())).ToHashSet();

        Assert.True(names.Count >= 499, $"{500 - names.Count} collisions in 500 random suffixes");
    }

    [Fact]
    public void A_chart_named_like_the_namespace_still_gets_another_release_name()
    {
        var ns = PrSmokeNames.Namespace(new PrSmokeRunKey(1, null, null), "abcde");

        Assert.Equal("pr-1-abcde", ns);
        Assert.NotEqual(ns, PrSmokeNames.Release("pr-1", "abcde", ns));
    }

    [Theory]
    [InlineData(0, null, null)]
    [InlineData(-3, null, null)]
    [InlineData(1, 0L, null)]
    [InlineData(1, 5L, 0)]
    public void Numbers_that_are_not_positive_are_refused(int? pullRequest, long? runId, int? attempt) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PrSmokeNames.Namespace(new PrSmokeRunKey(pullRequest, runId, attempt), "abcde"));

    [Theory]
    [InlineData("abcd")]
    [InlineData("ABCDE")]
    [InlineData("ab-de")]
    public void A_suffix_that_is_not_five_lowercase_letters_or_digits_is_refused(string suffix) =>
        Assert.Throws<ArgumentException>(() => PrSmokeNames.Namespace(new PrSmokeRunKey(1, null, null), suffix));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ReleaseName();

    [GeneratedRegex("^[a-z0-9.-]+$")]
    private static partial Regex KindName();
}
