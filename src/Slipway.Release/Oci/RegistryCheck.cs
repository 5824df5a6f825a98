using System.Net;

namespace Slipway.Release.Oci;

/// <summary>The outcome of a reachability or credentials check, with a message fit to show a user either way.</summary>
public sealed record RegistryCheck(bool Succeeded, string Message)
{
    /// <summary>What the registry answered; null when it never answered.</summary>
    public HttpStatusCode? Status { get; init; }

    /// <summary>The API root asked for credentials (401): nothing can be pushed there anonymously.</summary>
    public bool RequiresCredentials { get; init; }
}
