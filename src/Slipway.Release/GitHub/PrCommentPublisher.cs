using Slipway.Logging;
using Slipway.Release.PrSmoke;

namespace Slipway.Release.GitHub;

/// <summary>What the trusted side knows about the run that wrote a result (from the workflow_run event, never from the result file).</summary>
/// <param name="HeadSha">The commit the PR lane ran on: <c>github.event.workflow_run.head_sha</c>.</param>
/// <param name="RunId">The PR lane's run, <c>github.event.workflow_run.id</c>, when given: the result must name it.</param>
/// <param name="RunAttempt">Its attempt, <c>github.event.workflow_run.run_attempt</c>, when given.</param>
/// <param name="ServerUrl">The GitHub the run link in the result must point at (GITHUB_SERVER_URL).</param>
public sealed record TrustedRun(string HeadSha, long? RunId = null, int? RunAttempt = null, string ServerUrl = "https://github.com");

public enum PrCommentAction
{
    Created,
    Updated,
    Unchanged,
    Skipped,
}

/// <summary>What the publisher did, the comment it wrote (none when skipped), and why.</summary>
public sealed record PrCommentOutcome(PrCommentAction Action, int PullRequest, PullRequestComment? Comment, string Reason);

/// <summary>
/// Posts a PR smoke result as the one comment of its pull request, updated in place. The result file is untrusted: the
/// pull request is found by the trusted head sha among the repository's open pull requests and must be the one the
/// result names; the comment is the oldest one that carries the marker and was written by the token's own account (a
/// marked comment by anyone else is left alone). A result is posted only for the pull request's current head (a push
/// since makes it stale: the newer commit's run posts its own), and never over a later run of the same commit.
/// </summary>
public sealed class PrCommentPublisher(IGitHubPullRequests github, IBuildLog log)
{
    /// <exception cref="PrCommentRefusedException">The result does not belong to the trusted run or the repository.</exception>
    /// <exception cref="GitHubApiException">GitHub refused a call.</exception>
    public async Task<PrCommentOutcome> PublishAsync(PrSmokeResult result, TrustedRun trusted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(trusted);
        var number = CheckBelongs(result, trusted);

        var heads = (await github.OpenPullRequestsAsync(cancellationToken)).Where(pull => pull.HeadSha == trusted.HeadSha).Select(pull => pull.Number).ToList();
        if (heads.Count == 0)
            return Skip(number, $"commit {Short(trusted.HeadSha)} is no longer the head of an open pull request in {github.Repository} (pushed to since, or closed): its result is stale and not posted; the newer commit's run posts its own.");
        if (!heads.Contains(number))
            throw new PrCommentRefusedException($"The result names pull request #{number}, but commit {Short(trusted.HeadSha)} is the head of {string.Join(", ", heads.Select(head => $"#{head}"))} in {github.Repository}: refused, a result is posted only to the pull request its commit belongs to.");

        var identity = await github.AuthenticatedIdentityAsync(cancellationToken);
        var comments = await github.CommentsAsync(number, cancellationToken);
        var marked = comments.Where(comment => PrCommentBody.IsMarked(comment.Body)).ToList();
        var own = marked.Where(identity.IsAuthorOf).ToList();
        foreach (var foreign in marked.Except(own))
            log.Info($"Comment {foreign.Id} by {foreign.AuthorLogin} carries the PR smoke marker but is not {identity.Login}'s: left alone.");

        var stamp = PrCommentStamp.Of(result);
        var body = PrCommentBody.Compose(result);
        PrCommentOutcome outcome;
        if (own.Count == 0)
        {
            var created = await github.CreateCommentAsync(number, body, cancellationToken);
            outcome = new PrCommentOutcome(PrCommentAction.Created, number, created, $"no PR smoke comment by {identity.Login} yet");
        }
        else
        {
            var current = own[0];
            if (PrCommentBody.StampOf(current.Body) is { } shown && shown.HeadSha == stamp.HeadSha && shown.IsLaterRunThan(stamp))
                return Skip(number, $"comment {current.Id} already shows a later run of commit {Short(stamp.HeadSha)} (run {shown.RunId} attempt {shown.RunAttempt}, this is run {stamp.RunId} attempt {stamp.RunAttempt}): left as it is.");
            outcome = current.Body == body
                ? new PrCommentOutcome(PrCommentAction.Unchanged, number, current, "the comment already shows this result")
                : new PrCommentOutcome(PrCommentAction.Updated, number, await github.UpdateCommentAsync(current.Id, body, cancellationToken), "replaced the result it showed with this run's");
        }

        foreach (var duplicate in own.Skip(1))
        {
            await github.DeleteCommentAsync(duplicate.Id, cancellationToken);
            log.Info($"Deleted duplicate PR smoke comment {duplicate.Id} (one comment per pull request).");
        }

        return outcome;
    }

    /// <summary>The trusted run's commit and run must be the result's, and the result must name a pull request of this repository.</summary>
    private int CheckBelongs(PrSmokeResult result, TrustedRun trusted)
    {
        if (result.HeadSha != trusted.HeadSha)
            throw new PrCommentRefusedException($"The result is for commit {result.HeadSha}, but the run that wrote it ran on {trusted.HeadSha} (--head-sha): refused. Pass the result of that run.");
        if (trusted.RunId is { } runId && result.Run?.Id != runId)
            throw new PrCommentRefusedException($"The result names run {result.Run?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, but it came from run {runId} (--run-id): refused.");
        if (trusted.RunAttempt is { } attempt && result.Run?.Attempt != attempt)
            throw new PrCommentRefusedException($"The result names run attempt {result.Run?.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, but it came from attempt {attempt} (--run-attempt): refused.");
        if (result.Run is { } run && !run.Url.StartsWith(trusted.ServerUrl.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase))
            throw new PrCommentRefusedException($"The result's run link {run.Url} does not point at {trusted.ServerUrl} (--github-server-url): refused, the comment links only to this GitHub.");
        if (result.Repository is null || !github.Repository.Is(result.Repository))
            throw new PrCommentRefusedException($"The result is for repository {result.Repository ?? "(none: a local run)"}, not {github.Repository}: refused.");
        return result.PullRequest ?? throw new PrCommentRefusedException("The result names no pull request (a local run): there is nothing to comment on.");
    }

    private PrCommentOutcome Skip(int number, string reason)
    {
        log.Info(reason);
        return new PrCommentOutcome(PrCommentAction.Skipped, number, null, reason);
    }

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];
}

/// <summary>A result that may not be posted where it asks to be; the message says why.</summary>
public sealed class PrCommentRefusedException(string message) : Exception(message);
