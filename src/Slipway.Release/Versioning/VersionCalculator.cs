namespace Slipway.Release.Versioning;

/// <summary>
/// Computes a commit's version from its <see cref="GitFacts"/>:
/// <list type="bullet">
/// <item>a commit tagged <c>v1.2.3</c> is exactly <c>1.2.3</c>;</item>
/// <item>any other commit is a prerelease of the next patch after the latest reachable release tag (of <c>0.1.0</c> when there is none):
/// <c>1.2.4-ci.5.g0a1b2c3</c>, where 5 is the height and <c>g</c> guards a short sha that is all digits with a leading zero;</item>
/// <item>a pull-request build is <c>1.2.4-pr.42.5.g0a1b2c3</c>, even on a tagged commit, so it can never pass for a release.</item>
/// </list>
/// Height, not commit time, orders builds: it grows with every commit on a branch (two commits on one day included),
/// while commit times can go backwards after a rebase or with a skewed clock.
/// </summary>
public static class VersionCalculator
{
    private static readonly SemanticVersion Initial = SemanticVersion.Create(0, 1, 0);

    public static SemanticVersion Calculate(GitFacts facts, int? pullRequestNumber = null)
    {
        if (facts.Sha.Length < 7 || !facts.Sha.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{facts.Sha}' is not a lowercase hex commit id.", nameof(facts));
        if (facts.Height < 0)
            throw new ArgumentException($"Height must not be negative, was {facts.Height}.", nameof(facts));
        if (pullRequestNumber is <= 0)
            throw new ArgumentOutOfRangeException(nameof(pullRequestNumber), pullRequestNumber, "A pull request number is positive.");

        if (pullRequestNumber is null && facts.HeadReleaseTag is { } tagged)
            return tagged;

        var next = facts.LatestReleaseTag?.NextPatch() ?? Initial;
        var build = new[] { facts.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), "g" + facts.ShortSha };
        return pullRequestNumber is { } number
            ? next.WithPrerelease(["pr", number.ToString(System.Globalization.CultureInfo.InvariantCulture), .. build])
            : next.WithPrerelease(["ci", .. build]);
    }
}
