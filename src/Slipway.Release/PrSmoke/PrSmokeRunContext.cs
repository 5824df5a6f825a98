using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Release.Versioning;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// The run's identity from GitHub Actions' environment: the run id and attempt (for names and labels), the repository
/// and run page (for the result), and the pull request's head sha from the event payload (a pull_request run checks out
/// a merge commit; the PR comment is about the head). Outside Actions all of it is absent and the commit built is the head.
/// </summary>
public static partial class PrSmokeRunContext
{
    /// <exception cref="PrSmokeException">GITHUB_RUN_ID or GITHUB_RUN_ATTEMPT is set but not a positive number.</exception>
    public static PrSmokeRunKey Key(int? pullRequest, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (pullRequest is <= 0)
            throw new PrSmokeException($"--pull-request {pullRequest} is not a pull request number: give 1 or more, or leave it unset for a local run.");
        return new PrSmokeRunKey(pullRequest, Positive<long>(variable, "GITHUB_RUN_ID"), Positive<int>(variable, "GITHUB_RUN_ATTEMPT"));
    }

    public static PrSmokeIdentity Identity(ReleaseVersion version, PrSmokeRunKey key, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(variable);
        var repository = variable("GITHUB_REPOSITORY") is { } named && RepositoryPattern().IsMatch(named) ? named : null;
        PrSmokeRun? run = null;
        if (repository is not null && key.RunId is { } id)
        {
            var server = variable("GITHUB_SERVER_URL") is { } url && url.StartsWith("https://", StringComparison.Ordinal) ? url.TrimEnd('/') : "https://github.com";
            run = new PrSmokeRun(id, key.RunAttempt ?? 1, $"{server}/{repository}/actions/runs/{id.ToString(CultureInfo.InvariantCulture)}");
        }

        return new PrSmokeIdentity(repository, key.PullRequest, HeadSha(variable("GITHUB_EVENT_PATH")) ?? version.Git.Sha, version.Version.ToString(), run);
    }

    /// <summary><c>pull_request.head.sha</c> of the event payload; null without one, or when it is not a commit sha.</summary>
    private static string? HeadSha(string? eventPath)
    {
        if (eventPath is null || !File.Exists(eventPath))
            return null;
        try
        {
            using var payload = JsonDocument.Parse(File.ReadAllText(eventPath));
            return payload.RootElement.TryGetProperty("pull_request", out var pullRequest)
                   && pullRequest.TryGetProperty("head", out var head) && head.TryGetProperty("sha", out var sha)
                   && sha.GetString() is { } text && ShaPattern().IsMatch(text)
                ? text
                : null;
        }
        catch (Exception error) when (error is JsonException or IOException)
        {
            return null;
        }
    }

    private static T? Positive<T>(Func<string, string?> variable, string name)
        where T : struct, System.Numerics.INumber<T>
    {
        if (variable(name) is not { } text)
            return null;
        return T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > T.Zero
            ? value
            : throw new PrSmokeException($"{name} is '{text}', not a positive number: GitHub Actions sets it; unset it for a local run.");
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex ShaPattern();
}
