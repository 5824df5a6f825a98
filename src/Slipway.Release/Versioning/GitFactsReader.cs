using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Slipway.Processes;

namespace Slipway.Release.Versioning;

/// <summary>Reads a checkout's <see cref="GitFacts"/> with the git command line.</summary>
public sealed class GitFactsReader(IProcessRunner runner)
{
    private const string ReleaseLikeTagPattern = "v*";

    /// <summary>The whole repository, except what a build writes into the checkout itself (its log, staging, artifacts, next to .nuke/).</summary>
    private static readonly string[] ChangesThatCount = ["--", ":/", ":(exclude).nuke/temp", ":(exclude)artifacts"];

    public async Task<GitFacts> ReadAsync(string repositoryDirectory, CancellationToken cancellationToken = default)
    {
        var topLevel = await GitAsync(repositoryDirectory, cancellationToken, "rev-parse", "--show-toplevel");
        if (!topLevel.Succeeded)
            throw new GitFactsException($"git cannot read a repository at '{repositoryDirectory}': {FirstLine(topLevel.StandardError)}");

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

        var reachable = ReleaseLikeTags(await RequiredGitAsync(repositoryDirectory, cancellationToken, "tag", "--list", ReleaseLikeTagPattern, "--merged", sha));
        var onHead = ReleaseLikeTags(await RequiredGitAsync(repositoryDirectory, cancellationToken, "tag", "--list", ReleaseLikeTagPattern, "--points-at", sha));
        var latest = reachable.Releases.Max();
        var range = latest is null ? sha : $"refs/tags/v{latest}..{sha}";
        var height = int.Parse(await RequiredGitAsync(repositoryDirectory, cancellationToken, "rev-list", "--count", range), CultureInfo.InvariantCulture);

        return new GitFacts(sha, commitTime, latest, height, onHead.Releases.Max())
        {
            Changes = await ReadChangesAsync(repositoryDirectory, topLevel.StandardOutput.Trim(), cancellationToken),
            MalformedReleaseTags = reachable.Malformed,
        };
    }

    /// <summary>
    /// Releases are <c>vMAJOR.MINOR.PATCH</c>; a prerelease tag (<c>v1.3.0-rc.1</c>) is valid but never a base; any other
    /// <c>v…</c> tag is malformed, reported so that a release tagged <c>v01.2.3</c> does not silently fail to count.
    /// </summary>
    private static (List<SemanticVersion> Releases, List<string> Malformed) ReleaseLikeTags(string tagList)
    {
        var (releases, malformed) = (new List<SemanticVersion>(), new List<string>());
        foreach (var tag in tagList.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!SemanticVersion.TryParse(tag[1..], out var version))
                malformed.Add(tag);
            else if (!version.IsPrerelease)
                releases.Add(version);
        }

        return (releases, malformed);
    }

    /// <summary>
    /// Modified, staged, deleted and untracked (not ignored) paths, and a digest of what they hold: the diff against HEAD plus
    /// each untracked file's bytes. Optional locks are off: reading the state must not rewrite the index under another git.
    /// </summary>
    private async Task<WorkingTreeChanges> ReadChangesAsync(string directory, string topLevel, CancellationToken cancellationToken)
    {
        var status = await RequiredGitAsync(directory, cancellationToken, ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", .. ChangesThatCount]);
        var paths = new List<string>();
        var untracked = new List<string>();
        // Porcelain paths are relative to the top level; the runner hands output back as lines, so the last one ends in a newline.
        var entries = status.TrimEnd('\r', '\n').Split('\0', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var (code, path) = (entries[i][..2], entries[i][3..]);
            paths.Add(path);
            if (code == "??")
                untracked.Add(path);
            else if (code.Contains('R', StringComparison.Ordinal) || code.Contains('C', StringComparison.Ordinal))
                i++; // a rename or copy is followed by its original path
        }

        if (paths.Count == 0)
            return WorkingTreeChanges.None;
        var diff = await RequiredGitAsync(directory, cancellationToken, ["--no-optional-locks", "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", .. ChangesThatCount]);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(diff));
        foreach (var path in untracked.Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"\0{path}\0"));
            var file = Path.Combine(topLevel, path);
            if (File.Exists(file))
                hash.AppendData(await File.ReadAllBytesAsync(file, cancellationToken));
        }

        return new WorkingTreeChanges(paths, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

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
