using System.Net;

namespace Slipway.Release.GitHub;

/// <summary>GitHub refused or failed a call; the message names the call, GitHub's answer, the permission involved and the next step.</summary>
public sealed class GitHubApiException : Exception
{
    public GitHubApiException(string message, HttpStatusCode? statusCode, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }
}
