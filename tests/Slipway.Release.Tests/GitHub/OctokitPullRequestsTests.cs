using System.Net;
using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.GitHub;

/// <summary>The Octokit adapter and the publisher over it, against WireMock.Net answering as GitHub's REST API does.</summary>
public sealed class OctokitPullRequestsTests : IDisposable
{
    private const string NewerSha = "fedcba9876543210fedcba9876543210fedcba98";
    private readonly RecordingLog _log = new();
    private FakeGitHub _github = new(FakeGitHub.ActionsBot);

    public void Dispose() => _github.Dispose();

    [Fact]
    public async Task The_first_run_creates_the_comment_as_the_actions_bot_found_through_graphql()
    {
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));

        var outcome = await PublishAsync(PrSmokeSamples.Passed());

        Assert.Equal(PrCommentAction.Created, outcome.Action);
        var comment = Assert.Single(_github.Comments(42));
        Assert.Equal(FakeGitHub.ActionsBot, comment.Author);
        Assert.StartsWith($"<!-- slipway:pr-smoke head-sha={PrSmokeSamples.Sha} run-id=7001 run-attempt=1 -->\n## PR smoke ✅ passed", comment.Body, StringComparison.Ordinal);
        Assert.Equal($"https://github.com/acme/widgets/pull/42#issuecomment-{comment.Id}", outcome.Comment!.HtmlUrl);
        Assert.Equal(
            [
                "GET /api/v3/repos/acme/widgets/pulls?state=open&per_page=100",
                "GET /api/v3/user",
                "POST /api/graphql",
                "GET /api/v3/repos/acme/widgets/issues/42/comments?per_page=100",
                "POST /api/v3/repos/acme/widgets/issues/42/comments",
            ],
            _github.Requests.Select(WithoutSortParameters));
    }

    [Fact]
    public async Task A_second_run_replaces_the_same_comment_in_place()
    {
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
        var first = await PublishAsync(PrSmokeSamples.FailedInInstall(runId: 7001));

        var second = await PublishAsync(PrSmokeSamples.Passed(runId: 7001, attempt: 2));

        Assert.Equal(PrCommentAction.Updated, second.Action);
        var comment = Assert.Single(_github.Comments(42));
        Assert.Equal(first.Comment!.Id, comment.Id);
        Assert.Equal(1, comment.Updates);
        Assert.Contains("run-attempt=2", comment.Body, StringComparison.Ordinal);
        Assert.Contains("✅ passed", comment.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("❌ failed", comment.Body, StringComparison.Ordinal);
        Assert.Contains($"PATCH /api/v3/repos/acme/widgets/issues/comments/{comment.Id}", _github.Requests);
    }

    [Fact]
    public async Task A_foreign_comment_carrying_the_marker_is_left_alone()
    {
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
        var forged = $"<!-- slipway:pr-smoke head-sha={NewerSha} run-id=99999 run-attempt=9 -->\n## PR smoke ✅ passed (forged)";
        var foreignId = _github.AddComment(42, FakeGitHub.Stranger, forged);

        var outcome = await PublishAsync(PrSmokeSamples.FailedInInstall());

        Assert.Equal(PrCommentAction.Created, outcome.Action);
        var comments = _github.Comments(42);
        Assert.Equal(2, comments.Count);
        Assert.Equal(forged, comments.Single(comment => comment.Id == foreignId).Body);
        Assert.Equal(0, comments.Single(comment => comment.Id == foreignId).Updates);
        Assert.DoesNotContain(_github.Requests, request => request.Contains($"/issues/comments/{foreignId}", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains($"Comment {foreignId} by mallory carries the PR smoke marker but is not github-actions[bot]'s: left alone.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_older_commit_does_not_overwrite_the_result_of_the_newer_head()
    {
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, NewerSha));
        await PublishAsync(PrSmokeSamples.Passed(sha: NewerSha, runId: 7005), NewerSha);
        var newer = Assert.Single(_github.Comments(42)).Body;

        var outcome = await PublishAsync(PrSmokeSamples.FailedInInstall(sha: PrSmokeSamples.Sha, runId: 7006));

        Assert.Equal(PrCommentAction.Skipped, outcome.Action);
        Assert.Contains("commit 0123456 is no longer the head of an open pull request in acme/widgets", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(newer, Assert.Single(_github.Comments(42)).Body);
    }

    [Fact]
    public async Task An_earlier_run_of_the_same_commit_does_not_overwrite_a_later_one()
    {
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
        await PublishAsync(PrSmokeSamples.Passed(runId: 7001, attempt: 2));
        var later = Assert.Single(_github.Comments(42)).Body;

        var outcome = await PublishAsync(PrSmokeSamples.FailedInInstall(runId: 7001, attempt: 1));

        Assert.Equal(PrCommentAction.Skipped, outcome.Action);
        Assert.Contains("already shows a later run of commit 0123456 (run 7001 attempt 2, this is run 7001 attempt 1)", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(later, Assert.Single(_github.Comments(42)).Body);
    }

    [Fact]
    public async Task Comments_and_pull_requests_are_followed_past_100_through_the_link_headers()
    {
        for (var number = 1; number <= 130; number++)
            _github.PullRequests.Add(new FakeGitHub.PullRequest(number, number == 42 ? PrSmokeSamples.Sha : $"{number:D40}"));
        for (var index = 0; index < 230; index++)
            _github.AddComment(42, index % 2 == 0 ? FakeGitHub.Stranger : FakeGitHub.Developer, $"comment {index}");
        var ownId = _github.AddComment(42, FakeGitHub.ActionsBot, $"<!-- slipway:pr-smoke head-sha={PrSmokeSamples.Sha} run-id=7000 run-attempt=1 -->\nold result");

        var outcome = await PublishAsync(PrSmokeSamples.Passed(runId: 7001));

        Assert.Equal(PrCommentAction.Updated, outcome.Action);
        Assert.Equal(ownId, outcome.Comment!.Id);
        Assert.Equal(231, _github.Comments(42).Count);
        var requests = _github.Requests.Select(WithoutSortParameters).ToList();
        Assert.Contains("GET /api/v3/repositories/1296269/pulls?state=open&per_page=100&page=2", requests);
        Assert.Contains("GET /api/v3/repositories/1296269/issues/42/comments?per_page=100&page=2", requests);
        Assert.Contains("GET /api/v3/repositories/1296269/issues/42/comments?per_page=100&page=3", requests);
        Assert.DoesNotContain(requests, request => request.EndsWith("page=4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_personal_access_token_is_known_by_get_user()
    {
        Replace(new FakeGitHub(FakeGitHub.Developer));

        var identity = await Adapter().AuthenticatedIdentityAsync(CancellationToken.None);

        Assert.Equal(new GitHubIdentity("octo-dev", 583231), identity);
        Assert.Equal(["GET /api/v3/user"], _github.Requests);
    }

    [Fact]
    public async Task An_installation_token_is_known_by_graphql_viewer()
    {
        var identity = await Adapter().AuthenticatedIdentityAsync(CancellationToken.None);

        Assert.Equal(new GitHubIdentity("github-actions[bot]", 41898282), identity);
        Assert.Equal(["GET /api/v3/user", "POST /api/graphql"], _github.Requests);
    }

    [Fact]
    public async Task A_refused_write_names_the_permission_and_the_next_step()
    {
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
        _github.WritesForbidden = true;

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => PublishAsync(PrSmokeSamples.Passed()));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("POST /repos/acme/widgets/issues/42/comments", error.Message, StringComparison.Ordinal);
        Assert.Contains("403: Resource not accessible by integration", error.Message, StringComparison.Ordinal);
        Assert.Contains("lacks the pull-requests: write permission on acme/widgets", error.Message, StringComparison.Ordinal);
        Assert.Contains("Give the job `permissions: pull-requests: write`", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-run the job", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeGitHub.Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_repository_is_a_404_that_names_the_repository_and_the_permission()
    {
        var adapter = new OctokitPullRequests(new GitHubRepository("acme", "gone"), _github.Url, FakeGitHub.Token);

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => adapter.CommentsAsync(42, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("404 Not Found for GET /repos/acme/gone/issues/42/comments", error.Message, StringComparison.Ordinal);
        Assert.Contains("pull-requests: read", error.Message, StringComparison.Ordinal);
        Assert.Contains("--github-repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_a_401_that_says_so_without_showing_it()
    {
        var adapter = new OctokitPullRequests(new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Name), _github.Url, "ghp_wrongtoken");

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => adapter.OpenPullRequestsAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("refused the token", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bad credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_wrongtoken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_api_names_the_address_and_the_parameter()
    {
        var adapter = new OctokitPullRequests(new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Name), new Uri("http://127.0.0.1:1/"), FakeGitHub.Token, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<GitHubApiException>(() => adapter.AuthenticatedIdentityAsync(CancellationToken.None));

        Assert.Contains("Cannot reach GitHub's API at http://127.0.0.1:1/api/v3/", error.Message, StringComparison.Ordinal);
        Assert.Contains("--github-api-url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_janitor_learns_whether_a_pull_request_is_still_open()
    {
        _github.PullRequests.AddRange([new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha), new FakeGitHub.PullRequest(43, NewerSha, "closed")]);
        IPullRequestStates states = Adapter();

        Assert.Equal(PullRequestState.Open, await states.StateAsync(42, CancellationToken.None));
        Assert.Equal(PullRequestState.Closed, await states.StateAsync(43, CancellationToken.None));
        Assert.Equal(PullRequestState.NotFound, await states.StateAsync(44, CancellationToken.None));
        Assert.Equal(["GET /api/v3/repos/acme/widgets/pulls/42", "GET /api/v3/repos/acme/widgets/pulls/43", "GET /api/v3/repos/acme/widgets/pulls/44"], _github.Requests);
    }

    private Task<PrCommentOutcome> PublishAsync(PrSmokeResult result, string? trustedSha = null) =>
        new PrCommentPublisher(Adapter(), _log).PublishAsync(result, new TrustedRun(trustedSha ?? result.HeadSha));

    private OctokitPullRequests Adapter() => new(new GitHubRepository(FakeGitHub.Owner, FakeGitHub.Name), _github.Url, FakeGitHub.Token);

    private void Replace(FakeGitHub github)
    {
        _github.Dispose();
        _github = github;
    }

    /// <summary>Octokit adds its default sort to listings; the paths and the paging are what is asserted.</summary>
    private static string WithoutSortParameters(string request) =>
        System.Text.RegularExpressions.Regex.Replace(request, "(?<=[?&])(sort|direction)=[a-z]+&", string.Empty);
}
