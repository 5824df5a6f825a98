using System.Text.RegularExpressions;
using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Versioning;

public sealed partial class VersionCalculatorTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_commit_gets_the_same_version_whatever_the_clock()
    {
        var facts = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 3, latest: "1.2.3");

        Assert.Equal(VersionCalculator.Calculate(facts), VersionCalculator.Calculate(facts with { }));
        Assert.Equal("1.2.4-ci.3.g9fceb02", VersionCalculator.Calculate(facts).ToString());
    }

    [Fact]
    public void Two_commits_on_one_day_sort_in_commit_order_even_when_the_later_sha_sorts_lower()
    {
        var first = Facts("f000000000000000000000000000000000000000", height: 9, commitTime: Morning);
        var second = Facts("0000000000000000000000000000000000000001", height: 10, commitTime: Morning.AddMinutes(5));

        var earlier = VersionCalculator.Calculate(first);
        var later = VersionCalculator.Calculate(second);

        Assert.True(IndependentPrecedence(later, earlier) > 0, $"{later} should sort after {earlier}");
        Assert.True(later > earlier);
    }

    [Fact]
    public void A_rebase_that_moves_the_commit_time_backwards_does_not_break_the_order()
    {
        var earlier = VersionCalculator.Calculate(Facts("aaaaaaa000000000000000000000000000000000", height: 4, commitTime: Morning));
        var later = VersionCalculator.Calculate(Facts("bbbbbbb000000000000000000000000000000000", height: 5, commitTime: Morning.AddDays(-3)));

        Assert.True(later > earlier);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("0000000ffffffffffffffffffffffffffffffffff")]
    [InlineData("1234567000000000000000000000000000000000")]
    public void A_short_sha_of_digits_with_a_leading_zero_still_gives_strict_semver(string sha)
    {
        var version = VersionCalculator.Calculate(Facts(sha, height: 1)).ToString();

        Assert.Matches(StrictSemVerWithoutBuildMetadata(), version);
        Assert.Contains("g" + sha[..7], version, StringComparison.Ordinal);
        Assert.DoesNotContain('+', version);
    }

    [Fact]
    public void A_release_tag_on_head_gives_exactly_that_version()
    {
        var facts = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 0, latest: "1.2.3", onHead: "1.2.3");

        Assert.Equal("1.2.3", VersionCalculator.Calculate(facts).ToString());
    }

    [Fact]
    public void Commits_after_a_tag_sort_after_it_and_before_the_next_release()
    {
        var tagged = VersionCalculator.Calculate(Facts("1111111000000000000000000000000000000000", height: 0, latest: "1.2.3", onHead: "1.2.3"));
        var after = VersionCalculator.Calculate(Facts("2222222000000000000000000000000000000000", height: 1, latest: "1.2.3"));
        var before = VersionCalculator.Calculate(Facts("3333333000000000000000000000000000000000", height: 7, latest: "1.2.2"));

        Assert.Equal("1.2.4-ci.1.g2222222", after.ToString());
        Assert.True(before < tagged && tagged < after && after < SemanticVersion.Parse("1.2.4"));
    }

    [Fact]
    public void Without_tags_versions_are_prereleases_of_0_1_0()
    {
        var version = VersionCalculator.Calculate(Facts("abcdef0123456789abcdef0123456789abcdef01", height: 12));

        Assert.Equal("0.1.0-ci.12.gabcdef0", version.ToString());
        Assert.True(version < SemanticVersion.Parse("0.1.0"));
    }

    [Fact]
    public void Pull_request_builds_name_the_pr_and_differ_from_branch_builds_of_the_same_commit()
    {
        var facts = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 3, latest: "1.2.3");

        var pr = VersionCalculator.Calculate(facts, pullRequestNumber: 42);

        Assert.Equal("1.2.4-pr.42.3.g9fceb02", pr.ToString());
        Assert.NotEqual(VersionCalculator.Calculate(facts), pr);
        Assert.NotEqual(VersionCalculator.Calculate(facts, pullRequestNumber: 43), pr);
    }

    [Fact]
    public void A_pull_request_build_of_a_tagged_commit_is_still_a_prerelease()
    {
        var facts = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 0, latest: "1.2.3", onHead: "1.2.3");

        Assert.Equal("1.2.4-pr.7.0.g9fceb02", VersionCalculator.Calculate(facts, pullRequestNumber: 7).ToString());
    }

    [Fact]
    public void A_dirty_tree_gets_a_version_of_its_own_that_sorts_after_its_commit_and_before_the_next()
    {
        var clean = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 3, latest: "1.2.3");
        var dirty = clean with { Changes = Changes("5e8f1a2c") };

        var version = VersionCalculator.Calculate(dirty);
        var next = VersionCalculator.Calculate(Facts("0000000000000000000000000000000000000000", height: 4, latest: "1.2.3"));

        Assert.Equal("1.2.4-ci.3.g9fceb02.dirty-5e8f1a2", version.ToString());
        Assert.Matches(StrictSemVerWithoutBuildMetadata(), version.ToString());
        Assert.Matches("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", version.ToString());
        Assert.True(IndependentPrecedence(version, VersionCalculator.Calculate(clean)) > 0 && IndependentPrecedence(next, version) > 0);
        Assert.NotEqual(version, VersionCalculator.Calculate(clean with { Changes = Changes("0d1e2f3a") }));
        Assert.Equal(version, VersionCalculator.Calculate(clean with { Changes = Changes("5e8f1a2c") }));
    }

    [Fact]
    public void A_tagged_commit_with_changes_is_not_its_release()
    {
        var tagged = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 0, latest: "1.2.3", onHead: "1.2.3") with { Changes = Changes("5e8f1a2c") };

        var version = VersionCalculator.Calculate(tagged);

        Assert.Equal("1.2.4-ci.0.g9fceb02.dirty-5e8f1a2", version.ToString());
        Assert.True(version > SemanticVersion.Parse("1.2.3") && version < SemanticVersion.Parse("1.2.4-ci.1.g0000000"));
    }

    [Fact]
    public void A_release_tag_on_head_below_one_on_an_ancestor_is_refused_naming_both_and_the_fix()
    {
        var facts = Facts("9fceb02d0ae598e95dc970b74767f19372d61af8", height: 0, latest: "1.4.0", onHead: "1.3.9");

        var error = Assert.Throws<GitFactsException>(() => VersionCalculator.Calculate(facts));

        Assert.Contains("tagged v1.3.9, but v1.4.0 is already on one of its ancestors: versions must never go backwards", error.Message);
        Assert.Contains("git tag -d v1.3.9", error.Message);
        Assert.Contains("such as v1.4.1", error.Message);
    }

    [Fact]
    public void Rejects_facts_that_are_not_a_commit() =>
        Assert.Throws<ArgumentException>(() => VersionCalculator.Calculate(Facts("HEAD", height: 1)));

    private static GitFacts Facts(string sha, int height, string? latest = null, string? onHead = null, DateTimeOffset? commitTime = null) =>
        new(sha, commitTime ?? Morning, latest is null ? null : SemanticVersion.Parse(latest), height, onHead is null ? null : SemanticVersion.Parse(onHead));

    private static WorkingTreeChanges Changes(string digest) => new(["charts/app/values.yaml"], digest + new string('0', 56));

    /// <summary>semver.org's pattern (build metadata removed), written out here independently of the production parser.</summary>
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?$")]
    private static partial Regex StrictSemVerWithoutBuildMetadata();

    /// <summary>SemVer precedence for the prerelease shapes this scheme produces, independent of <see cref="SemanticVersion"/>.</summary>
    private static int IndependentPrecedence(SemanticVersion left, SemanticVersion right)
    {
        var a = left.ToString().Split('-', 2);
        var b = right.ToString().Split('-', 2);
        var core = Version.Parse(a[0]).CompareTo(Version.Parse(b[0]));
        if (core != 0)
            return core;
        var x = a[1].Split('.');
        var y = b[1].Split('.');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var order = (long.TryParse(x[i], out var m), long.TryParse(y[i], out var n)) switch
            {
                (true, true) => m.CompareTo(n),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x[i], y[i]),
            };
            if (order != 0)
                return order;
        }

        return x.Length.CompareTo(y.Length);
    }
}
