namespace Slipway.Release.Versioning;

/// <summary>The version of this run and the git facts it was computed from.</summary>
public sealed record ReleaseVersion(SemanticVersion Version, GitFacts Git)
{
    /// <summary>The checkout has uncommitted changes, so this build is not of <see cref="GitFacts.Sha"/> alone.</summary>
    public bool IsDirty => Git.IsDirty;

    /// <summary>
    /// For a target about to make something visible under this version (push, sign, record): refuses a dirty tree unless the
    /// user allowed it. Call it before the first push, so that a refusal leaves nothing half published.
    /// </summary>
    /// <param name="action">What is refused, for the message: "Publish".</param>
    public void EnsureClean(bool allowDirty, string action)
    {
        if (IsDirty && !allowDirty)
            throw new DirtyTreeException(
                $"{action} refuses a working tree with uncommitted changes ({Git.Changes.Paths.Count}: {Git.Changes}): what it would release is not commit {Git.ShortSha}. " +
                $"Commit or stash them and run again, or pass --allow-dirty to release them as {Version}. Nothing was pushed.");
    }

    public override string ToString() => Version.ToString();
}

/// <summary>A dirty tree was about to be released without <c>--allow-dirty</c>.</summary>
public sealed class DirtyTreeException(string message) : Exception(message);

/// <summary>Computes the release version from git: tags, height, short sha, the pull request when there is one, and uncommitted changes.</summary>
public interface IVersioning : ISlipwayBuild
{
    [Parameter("Pull request number: a PR build gets a prerelease naming it (default: from GitHub Actions' GITHUB_REF)"), Range(Minimum = 1)]
    int? PullRequest => ParameterValue<int?>(nameof(PullRequest));

    [Parameter("Release a working tree with uncommitted changes (its version then ends in .dirty-<digest of the changes>)")]
    bool AllowDirty => ParameterValue<bool>(nameof(AllowDirty));

    Target Version => _ => _
        .Description("Compute the version (SemVer from v* tags, commit height and short sha; PR builds get a pr prerelease; a dirty tree says so)")
        .Produces(async ct =>
        {
            var facts = await new GitFactsReader(Processes).ReadAsync(RootDirectory, ct);
            foreach (var tag in facts.MalformedReleaseTags)
                Log.Warning($"Tag '{tag}' looks like a release but is not SemVer vMAJOR.MINOR.PATCH (no leading zeros), so versions ignore it. Retag the commit (git tag vX.Y.Z {tag}) and delete it (git tag -d {tag}).");
            var pullRequest = PullRequest ?? PullRequestFromGitHub(Variable("GITHUB_REF"));
            var version = VersionCalculator.Calculate(facts, pullRequest);
            Log.Info($"Version {version} (commit {facts.ShortSha}, {facts.Height} commits since {facts.LatestReleaseTag?.ToString() ?? "the first commit"}{(pullRequest is null ? string.Empty : $", pull request #{pullRequest}")})");
            if (facts.IsDirty)
                Log.Warning($"The working tree is dirty ({facts.Changes.Paths.Count} uncommitted: {facts.Changes}), so this build is versioned {version}, not as commit {facts.ShortSha}; publishing it needs --allow-dirty.");
            Host.SetOutput("version", version.ToString());
            return new ReleaseVersion(version, facts);
        });

    /// <summary>GitHub runs pull-request workflows on <c>refs/pull/&lt;number&gt;/merge</c>.</summary>
    static int? PullRequestFromGitHub(string? gitHubRef)
    {
        var parts = gitHubRef?.Split('/') ?? [];
        return parts is ["refs", "pull", var number, _] && int.TryParse(number, out var pullRequest) ? pullRequest : null;
    }
}
