using System.Globalization;

namespace Slipway.Release.Versioning;

/// <summary>
/// Computes a commit's version from its <see cref="GitFacts"/>:
/// <list type="bullet">
/// <item>a commit tagged <c>v1.2.3</c> is exactly <c>1.2.3</c>;</item>
/// <item>any other commit is a prerelease of the next patch after the latest reachable release tag (of <c>0.1.0</c> when there is none):
/// <c>1.2.4-ci.5.g0a1b2c3</c>, where 5 is the height and <c>g</c> guards a short sha that is all digits with a leading zero;</item>
/// <item>a pull-request build is <c>1.2.4-pr.42.5.g0a1b2c3</c>, even on a tagged commit, so it can never pass for a release;</item>
/// <item>a dirty tree appends <c>dirty-&lt;digest7&gt;</c> of its changes, and a tagged commit with changes is not its release:
/// <c>1.2.4-ci.0.g0a1b2c3.dirty-5e8f1a2</c>. One more identifier sorts right after the clean commit's version and before the
/// next commit's; the digest keeps two different sets of changes apart (an image or chart tag never names two contents); a
/// prerelease identifier rather than build metadata, because <c>+</c> is not allowed in an OCI tag.</item>
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

        if (facts.HeadReleaseTag is { } head && facts.LatestReleaseTag is { } latest && head < latest)
            throw new GitFactsException(
                $"The commit {facts.ShortSha} is tagged v{head}, but v{latest} is already on one of its ancestors: versions must never go backwards. " +
                $"Delete the tag (git tag -d v{head}; git push --delete origin v{head} if it was pushed) and tag a version above {latest}, such as v{latest.NextPatch()}.");

        if (pullRequestNumber is null && facts.HeadReleaseTag is { } tagged && !facts.IsDirty)
            return tagged;

        var next = facts.LatestReleaseTag?.NextPatch() ?? Initial;
        var build = new List<string> { facts.Height.ToString(CultureInfo.InvariantCulture), "g" + facts.ShortSha };
        if (facts.IsDirty)
            build.Add("dirty-" + facts.Changes.ShortDigest);
        return pullRequestNumber is { } number
            ? next.WithPrerelease(["pr", number.ToString(CultureInfo.InvariantCulture), .. build])
            : next.WithPrerelease(["ci", .. build]);
    }
}
