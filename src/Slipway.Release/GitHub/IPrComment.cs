using System.Text.RegularExpressions;
using Slipway.Release.PrSmoke;

namespace Slipway.Release.GitHub;

/// <summary>
/// Posts a PR smoke result as its pull request's one comment, updated in place. Meant for a trusted job (a
/// <c>workflow_run</c> after the PR lane) that holds the token, so the PR lane itself needs none and runs fork code safely:
/// the result file is untrusted input, the head sha (and run) come from the event.
/// </summary>
public partial interface IPrComment : IGitHub
{
    [Parameter("The PR smoke result to post: the pr-smoke.json the PR lane wrote (its artifact)")]
    string? Result => ParameterValue<string>(nameof(Result));

    [Parameter("The commit the PR lane ran on, from the trusted event (github.event.workflow_run.head_sha)")]
    string? HeadSha => ParameterValue<string>(nameof(HeadSha));

    [Parameter("The PR lane's run id from the trusted event (github.event.workflow_run.id); when given, the result must name it")]
    long? RunId => ParameterValue<long?>(nameof(RunId));

    [Parameter("The PR lane's run attempt from the trusted event (github.event.workflow_run.run_attempt); when given, the result must name it")]
    int? RunAttempt => ParameterValue<int?>(nameof(RunAttempt));

    /// <summary>Where the comment goes; overridable, e.g. to point tests at a fake.</summary>
    IGitHubPullRequests PrCommentGitHub => GitHubPullRequests;

    Target PrComment => _ => _
        .Description("Post a PR smoke result (--result) as the one comment of its pull request, updated in place; --head-sha from the trusted event")
        .Requires(() => Result, () => HeadSha)
        .Executes(async ct =>
        {
            var trusted = new TrustedRun(ValidHeadSha(HeadSha!), RunId, RunAttempt, GithubServerUrl);
            var result = PrSmokeResult.ReadFile(Path.GetFullPath(Result!, RootDirectory));
            var outcome = await new PrCommentPublisher(PrCommentGitHub, Log).PublishAsync(result, trusted, ct);
            var where = outcome.Comment?.HtmlUrl ?? $"pull request #{outcome.PullRequest}";
            Log.Info($"PR comment {outcome.Action.ToString().ToLowerInvariant()}: {where} ({outcome.Reason})");
            Report.AddSection("PR comment", $"{outcome.Action} on pull request #{outcome.PullRequest}: {outcome.Reason}\n");
        });

    private static string ValidHeadSha(string sha) =>
        ShaPattern().IsMatch(sha)
            ? sha
            : throw new InvalidOperationException($"--head-sha must be the 40-hex commit the PR lane ran on (github.event.workflow_run.head_sha), got '{sha}'.");

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex ShaPattern();
}
