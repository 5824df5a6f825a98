using System.Net;
using System.Text.Json;
using Octokit;

namespace Slipway.Release.GitHub;

/// <summary>
/// GitHub's REST API through Octokit for one repository: one method per call, every page followed (100 a page), and every
/// refusal turned into a <see cref="GitHubApiException"/> that names the call, GitHub's answer, the permission it needs
/// and the next step. Octokit takes no cancellation token, so a cancelled call is abandoned, not awaited.
/// </summary>
public sealed class OctokitPullRequests : IGitHubPullRequests, IPullRequestStates
{
    private const int PageSize = 100;
    private const string ReadPermission = "pull-requests: read";
    private const string WritePermission = "pull-requests: write";
    private const string ViewerQuery = """{"query":"query { viewer { login databaseId } }"}""";

    private readonly GitHubClient _client;
    private readonly GitHubRepository _repository;
    private readonly Uri _graphQl;
    private readonly TimeSpan _timeout;

    /// <param name="apiUrl">GitHub's REST API: <c>https://api.github.com</c>, or a GitHub Enterprise Server's <c>https://host/api/v3</c> (Octokit adds <c>/api/v3/</c> to any other host).</param>
    public OctokitPullRequests(GitHubRepository repository, Uri apiUrl, string token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        ArgumentException.ThrowIfNullOrEmpty(token);
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _client = new GitHubClient(new ProductHeaderValue("Slipway"), apiUrl) { Credentials = new Credentials(token) };
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _client.SetRequestTimeout(_timeout);
        _graphQl = GraphQlEndpoint(_client.Connection.BaseAddress);
    }

    public GitHubRepository Repository => _repository;

    public async Task<GitHubIdentity> AuthenticatedIdentityAsync(CancellationToken cancellationToken)
    {
        try
        {
            var user = await _client.User.Current().WaitAsync(cancellationToken);
            return new GitHubIdentity(user.Login, user.Id);
        }
        catch (ForbiddenException)
        {
            // An installation token (GITHUB_TOKEN, a GitHub App's) is refused GET /user; GraphQL's viewer names its bot.
        }
        catch (ApiException error)
        {
            throw Translate(error, "GET /user (who the token is)", ReadPermission);
        }
        catch (HttpRequestException error)
        {
            throw Unreachable(error);
        }

        var answer = await CallAsync(
            "POST graphql { viewer } (who the token is)",
            ReadPermission,
            () => _client.Connection.Post<object>(_graphQl, ViewerQuery, "application/json", "application/json", _timeout, cancellationToken),
            cancellationToken);
        return Viewer(answer.HttpResponse.Body as string ?? string.Empty);
    }

    public async Task<IReadOnlyList<OpenPullRequest>> OpenPullRequestsAsync(CancellationToken cancellationToken)
    {
        var pulls = await CallAsync(
            $"GET /repos/{_repository}/pulls?state=open",
            ReadPermission,
            () => _client.PullRequest.GetAllForRepository(_repository.Owner, _repository.Name, new PullRequestRequest { State = ItemStateFilter.Open }, new ApiOptions { PageSize = PageSize }),
            cancellationToken);
        return [.. pulls.Select(pull => new OpenPullRequest(pull.Number, pull.Head.Sha))];
    }

    public async Task<IReadOnlyList<PullRequestComment>> CommentsAsync(int pullRequest, CancellationToken cancellationToken)
    {
        var comments = await CallAsync(
            $"GET /repos/{_repository}/issues/{pullRequest}/comments",
            ReadPermission,
            () => _client.Issue.Comment.GetAllForIssue(_repository.Owner, _repository.Name, pullRequest, new ApiOptions { PageSize = PageSize }),
            cancellationToken);
        return [.. comments.Select(ToComment)];
    }

    public async Task<PullRequestComment> CreateCommentAsync(int pullRequest, string body, CancellationToken cancellationToken) =>
        ToComment(await CallAsync(
            $"POST /repos/{_repository}/issues/{pullRequest}/comments",
            WritePermission,
            () => _client.Issue.Comment.Create(_repository.Owner, _repository.Name, pullRequest, body),
            cancellationToken));

    public async Task<PullRequestComment> UpdateCommentAsync(long commentId, string body, CancellationToken cancellationToken) =>
        ToComment(await CallAsync(
            $"PATCH /repos/{_repository}/issues/comments/{commentId}",
            WritePermission,
            () => _client.Issue.Comment.Update(_repository.Owner, _repository.Name, commentId, body),
            cancellationToken));

    public Task DeleteCommentAsync(long commentId, CancellationToken cancellationToken) =>
        CallAsync(
            $"DELETE /repos/{_repository}/issues/comments/{commentId}",
            WritePermission,
            async () =>
            {
                await _client.Issue.Comment.Delete(_repository.Owner, _repository.Name, commentId);
                return true;
            },
            cancellationToken);

    public async Task<PullRequestState> StateAsync(int pullRequest, CancellationToken cancellationToken)
    {
        try
        {
            var pull = await _client.PullRequest.Get(_repository.Owner, _repository.Name, pullRequest).WaitAsync(cancellationToken);
            return pull.State.Value == ItemState.Open ? PullRequestState.Open : PullRequestState.Closed;
        }
        catch (NotFoundException)
        {
            return PullRequestState.NotFound;
        }
        catch (ApiException error)
        {
            throw Translate(error, $"GET /repos/{_repository}/pulls/{pullRequest}", ReadPermission);
        }
        catch (HttpRequestException error)
        {
            throw Unreachable(error);
        }
    }

    private async Task<T> CallAsync<T>(string call, string permission, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action().WaitAsync(cancellationToken);
        }
        catch (ApiException error)
        {
            throw Translate(error, call, permission);
        }
        catch (HttpRequestException error)
        {
            throw Unreachable(error);
        }
    }

    private GitHubApiException Unreachable(HttpRequestException error) =>
        new($"Cannot reach GitHub's API at {_client.Connection.BaseAddress} ({error.Message}). Check --github-api-url (GITHUB_API_URL) and the network, then re-run the job.", null, error);

    private GitHubApiException Translate(ApiException error, string call, string permission)
    {
        var answer = error.ApiError?.Message is { Length: > 0 } message ? message : error.Message;
        var text = error switch
        {
            AuthorizationException =>
                $"GitHub refused the token for {call} (401: {answer}): it is wrong, expired or revoked. Pass a valid token in SLIPWAY_GITHUB_TOKEN (or GITHUB_TOKEN).",
            RateLimitExceededException limit =>
                $"GitHub's API rate limit ran out at {call}; it resets at {limit.Reset.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. Re-run the job after that.",
            SecondaryRateLimitExceededException =>
                $"GitHub's secondary rate limit stopped {call} ({answer}). Re-run the job in a few minutes.",
            ForbiddenException =>
                $"GitHub refused {call} (403: {answer}): the token lacks the {permission} permission on {_repository}. {Grant(permission)}",
            NotFoundException =>
                $"GitHub answered 404 Not Found for {call}: {_repository} or the pull request does not exist, or the token cannot see it. Check --github-repository; for a private repository the token needs access to it and {permission}. {Grant(permission)}",
            _ => $"GitHub answered {(int)error.StatusCode} {error.StatusCode} for {call}: {answer}.",
        };
        return new GitHubApiException(text, error.StatusCode, error);
    }

    private static string Grant(string permission) =>
        $"Give the job `permissions: {permission}` (GITHUB_TOKEN), or use a fine-grained token with \"Pull requests: {(permission == WritePermission ? "Read and write" : "Read")}\" on this repository (a classic token: the repo or public_repo scope), then re-run the job.";

    private static GitHubIdentity Viewer(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var viewer = document.RootElement.GetProperty("data").GetProperty("viewer");
            var login = viewer.GetProperty("login").GetString();
            long? id = viewer.TryGetProperty("databaseId", out var databaseId) && databaseId.ValueKind == JsonValueKind.Number ? databaseId.GetInt64() : null;
            return string.IsNullOrEmpty(login) ? throw new KeyNotFoundException("login") : new GitHubIdentity(login, id);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new GitHubApiException(
                $"GitHub's GraphQL API did not say who the token is (no data.viewer.login in its answer: {Shorten(json)}). Use a token that may read the repository's pull requests.",
                HttpStatusCode.OK,
                error);
        }
    }

    private static PullRequestComment ToComment(IssueComment comment) =>
        new(comment.Id, comment.User?.Login ?? string.Empty, comment.User?.Id, comment.Body ?? string.Empty, comment.HtmlUrl);

    /// <summary>GraphQL lives at <c>https://api.github.com/graphql</c>, and at <c>https://host/api/graphql</c> beside GitHub Enterprise Server's <c>/api/v3/</c>.</summary>
    private static Uri GraphQlEndpoint(Uri restBase) =>
        restBase.AbsolutePath.EndsWith("/api/v3/", StringComparison.Ordinal)
            ? new Uri(restBase, "../graphql")
            : new Uri(restBase, "graphql");

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
