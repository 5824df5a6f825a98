using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Versioning;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("0.1.0")]
    [InlineData("1.2.3-rc.1")]
    [InlineData("0.1.1-ci.12.g0123456")]
    [InlineData("1.0.0-x-y.0.a-")]
    public void Parses_strict_versions_and_prints_them_unchanged(string text) =>
        Assert.Equal(text, SemanticVersion.Parse(text).ToString());

    [Theory]
    [InlineData("01.2.3")]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.3-0123456")]
    [InlineData("0.1.20261124-0123456")]
    [InlineData("1.2.3+build.1")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-a..b")]
    [InlineData("1.2.3-\u0661")]
    public void Rejects_anything_helm_or_an_oci_tag_would_not_take(string text) =>
        Assert.False(SemanticVersion.TryParse(text, out _));

    [Fact]
    public void Orders_by_semver_precedence()
    {
        // The example chain from semver.org section 11, plus numeric identifiers longer than a long.
        string[] ascending =
        [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0-rc.99999999999999999999", "1.0.0-rc.100000000000000000000", "1.0.0", "1.0.1-0", "1.0.1", "1.1.0", "2.0.0", "10.0.0",
        ];
        var shuffled = ascending.Reverse().Select(SemanticVersion.Parse).ToList();
        shuffled.Sort();
        Assert.Equal(ascending, shuffled.Select(version => version.ToString()));
    }

    [Fact]
    public void Next_patch_drops_the_prerelease() =>
        Assert.Equal("1.2.4", SemanticVersion.Parse("1.2.3-rc.1").NextPatch().ToString());
}
