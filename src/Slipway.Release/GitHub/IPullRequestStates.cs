namespace Slipway.Release.GitHub;

public enum PullRequestState
{
    Open,
    Closed,

    /// <summary>No such pull request in the repository (or the token cannot see it).</summary>
    NotFound,
}

/// <summary>Whether a pull request is still open: for the janitor, which deletes what closed pull requests left behind.</summary>
public interface IPullRequestStates
{
    Task<PullRequestState> StateAsync(int pullRequest, CancellationToken cancellationToken);
}
