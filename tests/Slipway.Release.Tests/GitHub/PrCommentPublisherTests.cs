using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.GitHub;

/// <summary>The publisher's decisions over a fake of the API boundary: where a result may go, and what it may replace.</summary>
public sealed class PrCommentPublisherTests
{
    private static readonly GitHubIdentity Bot = new("github-actions[bot]", 41898282);
    private readonly FakePullRequests _github = new();
    private readonly RecordingLog _log = new();

    public PrCommentPublisherTests() => _github.Open.Add(new OpenPullRequest(42, PrSmokeSamples.Sha));

    [Fact]
    public async Task A_result_for_another_commit_than_the_trusted_run_is_refused()
    {
        var error = await Assert.ThrowsAsync<PrCommentRefusedException>(() => PublishAsync(PrSmokeSamples.Passed(), new TrustedRun(new string('9', 40))));

        Assert.Contains($"The result is for commit {PrSmokeSamples.Sha}, but the run that wrote it ran on {new string('9', 40)} (--head-sha)", error.Message, StringComparison.Ordinal);
        Assert.Empty(_github.Calls);
    }

    [Fact]
    public async Task A_result_that_names_another_pull_request_than_its_commit_is_refused()
    {
        var error = await Assert.ThrowsAsync<PrCommentRefusedException>(() => PublishAsync(PrSmokeSamples.Passed(pullRequest: 7)));

        Assert.Contains("names pull request #7, but commit 0123456 is the head of #42 in acme/widgets", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_github.Calls, call => call.StartsWith("create", StringComparison.Ordinal) || call.StartsWith("update", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(8000L, null, "names run 7001, but it came from run 8000 (--run-id)")]
    [InlineData(7001L, 3, "names run attempt 1, but it came from attempt 3 (--run-attempt)")]
    public async Task A_result_from_another_run_than_the_trusted_one_is_refused(long runId, int? attempt, string expected)
    {
        var error = await Assert.ThrowsAsync<PrCommentRefusedException>(() => PublishAsync(PrSmokeSamples.Passed(), new TrustedRun(PrSmokeSamples.Sha, runId, attempt)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_of_another_repository_is_refused()
    {
        var error = await Assert.ThrowsAsync<PrCommentRefusedException>(() => PublishAsync(PrSmokeSamples.Passed() with { Repository = "evil/widgets", Run = null }));

        Assert.Contains("The result is for repository evil/widgets, not acme/widgets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_link_to_another_server_is_refused()
    {
        var result = PrSmokeSamples.Passed() with { Run = new PrSmokeRun(7001, 1, "https://github.com.evil.example/acme/widgets/actions/runs/7001") };

        var error = await Assert.ThrowsAsync<PrCommentRefusedException>(() => PublishAsync(result));

        Assert.Contains("does not point at https://github.com (--github-server-url)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_result_without_pull_request_is_refused()
    {
        var error = await Assert.ThrowsAsync<PrCommentRefusedException>(() => PublishAsync(PrSmokeSamples.Passed() with { PullRequest = null }));

        Assert.Contains("names no pull request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_for_a_commit_that_is_no_longer_a_head_is_skipped_without_reading_comments()
    {
        _github.Open.Clear();
        _github.Open.Add(new OpenPullRequest(42, new string('f', 40)));

        var outcome = await PublishAsync(PrSmokeSamples.Passed());

        Assert.Equal(PrCommentAction.Skipped, outcome.Action);
        Assert.Equal(["open pull requests"], _github.Calls);
        Assert.Contains(_log.Lines, line => line.Contains("is no longer the head of an open pull request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_commit_shown_by_the_own_comment_is_replaced_by_the_current_head()
    {
        var ownId = _github.Add(Bot, Stamp(new string('a', 40), 9999, 5) + "old");

        var outcome = await PublishAsync(PrSmokeSamples.Passed(runId: 7001));

        Assert.Equal(PrCommentAction.Updated, outcome.Action);
        Assert.Equal([$"update {ownId}"], _github.Writes);
    }

    [Fact]
    public async Task An_own_comment_in_a_format_this_version_does_not_write_is_replaced()
    {
        var ownId = _github.Add(Bot, "<!-- slipway:pr-smoke v0 -->\nold");

        var outcome = await PublishAsync(PrSmokeSamples.Passed());

        Assert.Equal(PrCommentAction.Updated, outcome.Action);
        Assert.Equal([$"update {ownId}"], _github.Writes);
    }

    [Fact]
    public async Task The_same_result_again_writes_nothing()
    {
        _github.Add(Bot, PrCommentBody.Compose(PrSmokeSamples.Passed()));

        var outcome = await PublishAsync(PrSmokeSamples.Passed());

        Assert.Equal(PrCommentAction.Unchanged, outcome.Action);
        Assert.Empty(_github.Writes);
    }

    [Fact]
    public async Task The_oldest_own_comment_is_updated_and_later_own_duplicates_deleted()
    {
        var first = _github.Add(Bot, Stamp(PrSmokeSamples.Sha, 6000, 1) + "first");
        var foreign = _github.Add(new GitHubIdentity("mallory", 66600), Stamp(PrSmokeSamples.Sha, 6000, 1) + "forged");
        var second = _github.Add(Bot, Stamp(PrSmokeSamples.Sha, 6001, 1) + "second");

        await PublishAsync(PrSmokeSamples.Passed(runId: 7001));

        Assert.Equal([$"update {first}", $"delete {second}"], _github.Writes);
        Assert.DoesNotContain(_github.Writes, write => write.EndsWith(foreign.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authorship_is_by_account_id_so_a_renamed_login_still_matches_and_a_reused_login_does_not()
    {
        var renamed = _github.Add(new GitHubIdentity("old-bot-name", 41898282), Stamp(PrSmokeSamples.Sha, 6000, 1) + "mine");
        var impostor = _github.Add(new GitHubIdentity("github-actions[bot]", 123), Stamp(PrSmokeSamples.Sha, 6000, 1) + "not mine");

        await PublishAsync(PrSmokeSamples.Passed());

        Assert.Equal([$"update {renamed}"], _github.Writes);
        Assert.NotEqual(renamed, impostor);
    }

    [Fact]
    public async Task A_marker_that_is_not_on_the_first_line_does_not_mark_the_comment()
    {
        _github.Add(Bot, "quoting the bot:\n" + Stamp(PrSmokeSamples.Sha, 9000, 1));

        var outcome = await PublishAsync(PrSmokeSamples.Passed());

        Assert.Equal(PrCommentAction.Created, outcome.Action);
    }

    private Task<PrCommentOutcome> PublishAsync(PrSmokeResult result, TrustedRun? trusted = null) =>
        new PrCommentPublisher(_github, _log).PublishAsync(result, trusted ?? new TrustedRun(result.HeadSha));

    private static string Stamp(string sha, long run, int attempt) => $"<!-- slipway:pr-smoke head-sha={sha} run-id={run} run-attempt={attempt} -->\n";

    private sealed class FakePullRequests : IGitHubPullRequests
    {
        private readonly List<PullRequestComment> _comments = [];
        private long _nextId = 100;

        public GitHubRepository Repository { get; } = new("acme", "widgets");

        public List<OpenPullRequest> Open { get; } = [];

        public List<string> Calls { get; } = [];

        public IEnumerable<string> Writes => Calls.Where(call => call.StartsWith("create", StringComparison.Ordinal) || call.StartsWith("update", StringComparison.Ordinal) || call.StartsWith("delete", StringComparison.Ordinal));

        public long Add(GitHubIdentity author, string body)
        {
            var comment = new PullRequestComment(_nextId++, author.Login, author.Id, body, null);
            _comments.Add(comment);
            return comment.Id;
        }

        public Task<GitHubIdentity> AuthenticatedIdentityAsync(CancellationToken cancellationToken) => Record("identity", Bot);

        public Task<IReadOnlyList<OpenPullRequest>> OpenPullRequestsAsync(CancellationToken cancellationToken) => Record("open pull requests", (IReadOnlyList<OpenPullRequest>)[.. Open]);

        public Task<IReadOnlyList<PullRequestComment>> CommentsAsync(int pullRequest, CancellationToken cancellationToken) => Record($"comments {pullRequest}", (IReadOnlyList<PullRequestComment>)[.. _comments]);

        public Task<PullRequestComment> CreateCommentAsync(int pullRequest, string body, CancellationToken cancellationToken)
        {
            var id = Add(Bot, body);
            return Record($"create {id}", _comments.Single(comment => comment.Id == id));
        }

        public Task<PullRequestComment> UpdateCommentAsync(long commentId, string body, CancellationToken cancellationToken) =>
            Record($"update {commentId}", new PullRequestComment(commentId, Bot.Login, Bot.Id, body, null));

        public Task DeleteCommentAsync(long commentId, CancellationToken cancellationToken) => Record($"delete {commentId}", true);

        private Task<T> Record<T>(string call, T answer)
        {
            Calls.Add(call);
            return Task.FromResult(answer);
        }
    }
}
