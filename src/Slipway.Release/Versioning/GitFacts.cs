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

    /// <summary>What the checkout holds beyond the commit; <see cref="WorkingTreeChanges.None"/> for a clean tree.</summary>
    public WorkingTreeChanges Changes { get; init; } = WorkingTreeChanges.None;

    /// <summary>The build is not of the commit alone: its version says so, and publishing it needs <c>--allow-dirty</c>.</summary>
    public bool IsDirty => Changes.Paths.Count > 0;

    /// <summary>Reachable tags that look like releases (<c>v…</c>) but are not SemVer, such as <c>v01.2.3</c> or <c>vfoo</c>: ignored for versioning.</summary>
    public IReadOnlyList<string> MalformedReleaseTags { get; init; } = [];
}

/// <summary>Uncommitted changes: the paths git reports (modified, staged, deleted, untracked) and a digest of their content.</summary>
/// <param name="Digest">SHA-256 (hex) of the diff against the commit and of every untracked file: the same changes give the same digest.</param>
public sealed record WorkingTreeChanges(IReadOnlyList<string> Paths, string Digest)
{
    public static WorkingTreeChanges None { get; } = new([], string.Empty);

    /// <summary>The first seven hex digits: enough to tell two dirty states of one commit apart in a version.</summary>
    public string ShortDigest => Digest[..Math.Min(7, Digest.Length)];

    public override string ToString()
    {
        const int shown = 5;
        var list = string.Join(", ", Paths.Take(shown));
        return Paths.Count <= shown ? list : $"{list} and {Paths.Count - shown} more";
    }
}
