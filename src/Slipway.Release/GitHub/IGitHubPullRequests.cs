namespace Slipway.Release.GitHub;

/// <summary>Who the token is: a user for a personal access token, <c>&lt;app&gt;[bot]</c> for an installation token such as GITHUB_TOKEN.</summary>
public sealed record GitHubIdentity(string Login, long? Id)
{
    /// <summary>The same account: by id where both are known (a login can be renamed), else by login, which GitHub compares without case.</summary>
    public bool IsAuthorOf(PullRequestComment comment) =>
        Id is { } id && comment.AuthorId is { } authorId ? id == authorId : string.Equals(Login, comment.AuthorLogin, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An open pull request and the commit its head points at now.</summary>
public sealed record OpenPullRequest(int Number, string HeadSha);

/// <summary>A comment on a pull request's conversation (an issue comment), oldest first as GitHub lists them.</summary>
public sealed record PullRequestComment(long Id, string AuthorLogin, long? AuthorId, string Body, string? HtmlUrl);

/// <summary>
/// The GitHub REST calls the PR comment needs, one method per call, for one repository: no decisions here, so the
/// publisher's are tested with a fake and this boundary against a server that answers like GitHub.
/// </summary>
public interface IGitHubPullRequests
{
    GitHubRepository Repository { get; }

    /// <summary>The token's own account: <c>GET /user</c>, or for an installation token that is refused it, GraphQL's <c>viewer</c>.</summary>
    Task<GitHubIdentity> AuthenticatedIdentityAsync(CancellationToken cancellationToken);

    /// <summary>Every open pull request, all pages.</summary>
    Task<IReadOnlyList<OpenPullRequest>> OpenPullRequestsAsync(CancellationToken cancellationToken);

    /// <summary>Every comment on the pull request's conversation, all pages, oldest first.</summary>
    Task<IReadOnlyList<PullRequestComment>> CommentsAsync(int pullRequest, CancellationToken cancellationToken);

    Task<PullRequestComment> CreateCommentAsync(int pullRequest, string body, CancellationToken cancellationToken);

    Task<PullRequestComment> UpdateCommentAsync(long commentId, string body, CancellationToken cancellationToken);

    Task DeleteCommentAsync(long commentId, CancellationToken cancellationToken);
}
