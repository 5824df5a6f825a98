namespace Slipway.Release.Versioning;

/// <summary>The version of this run and the git facts it was computed from.</summary>
public sealed record ReleaseVersion(SemanticVersion Version, GitFacts Git)
{
    public override string ToString() => Version.ToString();
}

/// <summary>Computes the release version from git: tags, height, short sha, and the pull request when there is one.</summary>
public interface IVersioning : ISlipwayBuild
{
    [Parameter("Pull request number: a PR build gets a prerelease naming it (default: from GitHub Actions' GITHUB_REF)"), Range(Minimum = 1)]
    int? PullRequest => ParameterValue<int?>(nameof(PullRequest));

    Target Version => _ => _
        .Description("Compute the version (SemVer from v* tags, commit height and short sha; PR builds get a pr prerelease)")
        .Produces(async ct =>
        {
            var facts = await new GitFactsReader(Processes).ReadAsync(RootDirectory, ct);
            var pullRequest = PullRequest ?? PullRequestFromGitHub(Variable("GITHUB_REF"));
            var version = VersionCalculator.Calculate(facts, pullRequest);
            Log.Info($"Version {version} (commit {facts.ShortSha}, {facts.Height} commits since {facts.LatestReleaseTag?.ToString() ?? "the first commit"}{(pullRequest is null ? string.Empty : $", pull request #{pullRequest}")})");
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
