using System.Globalization;
using Slipway.Processes;

namespace Slipway.Release.Versioning;

/// <summary>Reads a checkout's <see cref="GitFacts"/> with the git command line.</summary>
public sealed class GitFactsReader(IProcessRunner runner)
{
    private const string ReleaseTagPattern = "v[0-9]*";

    public async Task<GitFacts> ReadAsync(string repositoryDirectory, CancellationToken cancellationToken = default)
    {
        var gitDirectory = await GitAsync(repositoryDirectory, cancellationToken, "rev-parse", "--git-dir");
        if (!gitDirectory.Succeeded)
            throw new GitFactsException($"git cannot read a repository at '{repositoryDirectory}': {FirstLine(gitDirectory.StandardError)}");

        var head = await GitAsync(repositoryDirectory, cancellationToken, "log", "-1", "--format=%H%n%cI", "HEAD");
        if (!head.Succeeded)
            throw new GitFactsException($"The git repository at '{repositoryDirectory}' has no commits yet: a version needs a commit to name.");

        // A shallow clone undercounts the height and may miss the latest tag, so its version would be wrong, not just different.
        var shallow = await RequiredGitAsync(repositoryDirectory, cancellationToken, "rev-parse", "--is-shallow-repository");
        if (shallow.Trim() == "true")
            throw new GitFactsException(
                $"The git repository at '{repositoryDirectory}' is a shallow clone, so the commit height and latest tag cannot be known. " +
                "Fetch the full history and tags: 'git fetch --unshallow --tags' (in GitHub Actions: actions/checkout with 'fetch-depth: 0').");

        var lines = head.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sha = lines[0];
        var commitTime = DateTimeOffset.Parse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.None).ToUniversalTime();

        var latest = HighestReleaseTag(await RequiredGitAsync(repositoryDirectory, cancellationToken, "tag", "--list", ReleaseTagPattern, "--merged", sha));
        var onHead = HighestReleaseTag(await RequiredGitAsync(repositoryDirectory, cancellationToken, "tag", "--list", ReleaseTagPattern, "--points-at", sha));
        var range = latest is null ? sha : $"refs/tags/v{latest}..{sha}";
        var height = int.Parse(await RequiredGitAsync(repositoryDirectory, cancellationToken, "rev-list", "--count", range), CultureInfo.InvariantCulture);

        return new GitFacts(sha, commitTime, latest, height, onHead);
    }

    /// <summary>Only <c>vMAJOR.MINOR.PATCH</c> tags are releases; prerelease and malformed tags are ignored, so they never become a base.</summary>
    private static SemanticVersion? HighestReleaseTag(string tagList) =>
        tagList.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(tag => SemanticVersion.TryParse(tag[1..], out var version) && !version.IsPrerelease ? version : null)
            .OfType<SemanticVersion>()
            .Max();

    private async Task<string> RequiredGitAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await GitAsync(directory, cancellationToken, arguments);
        return result.Succeeded
            ? result.StandardOutput
            : throw new GitFactsException($"'git {string.Join(' ', arguments)}' failed in '{directory}': {FirstLine(result.StandardError)}");
    }

    private Task<ToolResult> GitAsync(string directory, CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(
            new ToolCommand("git", arguments)
            {
                WorkingDirectory = directory,
                ThrowOnFailure = false,
                StreamOutput = false,
                // Parsed output and messages must not depend on the user's locale.
                Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
            },
            cancellationToken);

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";
}

/// <summary>The checkout cannot give reliable version facts; the message says why and what to do.</summary>
public sealed class GitFactsException(string message) : Exception(message);
