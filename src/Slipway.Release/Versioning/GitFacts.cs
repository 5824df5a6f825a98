namespace Slipway.Release.Versioning;

/// <summary>
/// The facts about a commit that its version is computed from, and nothing else (no clock, no runner, no branch name),
/// so the same commit always gets the same version.
/// </summary>
/// <param name="Sha">The full commit id, lowercase hex.</param>
/// <param name="CommitTime">The committer time, for labels such as an image's created date; not part of the version.</param>
/// <param name="LatestReleaseTag">The highest <c>vMAJOR.MINOR.PATCH</c> tag reachable from the commit, if any.</param>
/// <param name="Height">
/// Commits reachable from the commit but not from <paramref name="LatestReleaseTag"/> (all reachable commits when there is
/// no tag): strictly larger for every descendant, which is what makes versions monotonic along a branch.
/// </param>
/// <param name="HeadReleaseTag">The highest <c>vMAJOR.MINOR.PATCH</c> tag pointing at the commit itself, if any.</param>
public sealed record GitFacts(
    string Sha,
    DateTimeOffset CommitTime,
    SemanticVersion? LatestReleaseTag,
    int Height,
    SemanticVersion? HeadReleaseTag)
{
    /// <summary>Fixed at seven characters: git's own abbreviation grows with the repository, which would make versions depend on the clone.</summary>
    public string ShortSha => Sha[..7];
}
