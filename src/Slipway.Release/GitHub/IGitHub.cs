namespace Slipway.Release.GitHub;

/// <summary>
/// GitHub's API for this build's repository: where it is, which repository, and the token (never printed). The members are
/// spelled Github* so the parameters read --github-token and SLIPWAY_GITHUB_TOKEN.
/// </summary>
public interface IGitHub : ISlipwayBuild
{
    [Parameter("The GitHub repository, owner/name (default: GITHUB_REPOSITORY)")]
    string? GithubRepository => ParameterValue<string>(nameof(GithubRepository)) ?? Variable("GITHUB_REPOSITORY");

    [Parameter("GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com)")]
    string GithubApiUrl => ParameterValue<string>(nameof(GithubApiUrl)) ?? Variable("GITHUB_API_URL") ?? "https://api.github.com";

    [Parameter("GitHub's web address, which run links must point at (default: GITHUB_SERVER_URL, else https://github.com)")]
    string GithubServerUrl => ParameterValue<string>(nameof(GithubServerUrl)) ?? Variable("GITHUB_SERVER_URL") ?? "https://github.com";

    [Parameter("Token for GitHub's API (default: the GITHUB_TOKEN variable); commenting needs pull-requests: write"), Secret]
    string? GithubToken => ParameterValue<string>(nameof(GithubToken));

    /// <summary>The repository's pull requests through Octokit; overridable, e.g. to point tests at a fake.</summary>
    OctokitPullRequests GitHubPullRequests => new(
        GitHubRepository.Parse(GithubRepository ?? throw new InvalidOperationException("No GitHub repository: pass --github-repository owner/name or set GITHUB_REPOSITORY."), "--github-repository (GITHUB_REPOSITORY)"),
        ValidApiUrl(GithubApiUrl),
        GitHubTokenValue());

    /// <summary>--github-token (SLIPWAY_GITHUB_TOKEN), else GITHUB_TOKEN, which workflows commonly map from secrets.GITHUB_TOKEN; masked from here on.</summary>
    private string GitHubTokenValue()
    {
        var token = GithubToken is { Length: > 0 } given ? given : Variable("GITHUB_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
            throw new InvalidOperationException(
                "No GitHub token: set SLIPWAY_GITHUB_TOKEN (or GITHUB_TOKEN) to a token that may write pull request comments, e.g. `env: SLIPWAY_GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` in a job with `permissions: pull-requests: write`.");
        Secrets.Register(token);
        return token.Trim();
    }

    /// <summary>The token travels with every call: only https, or plain http to this machine (a test server).</summary>
    private static Uri ValidApiUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            ? url
            : throw new InvalidOperationException($"--github-api-url (GITHUB_API_URL) must be an https URL such as https://api.github.com (http only for this machine), got '{text}'.");
}
