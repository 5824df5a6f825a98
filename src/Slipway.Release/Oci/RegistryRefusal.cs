using System.Net;

namespace Slipway.Release.Oci;

/// <summary>What a registry's refusal means, by its status code: a missing login, a wrong one, a missing permission, or nothing there.</summary>
public static class RegistryRefusal
{
    /// <summary>The refusal as a phrase after "the registry" ("refused the credentials of user 'ci' (a wrong or expired password or token)").</summary>
    public static string Describe(HttpStatusCode status, RegistryCredentials? credentials) => (status, credentials) switch
    {
        (HttpStatusCode.Unauthorized, null) => "asks for credentials and none were sent",
        (HttpStatusCode.Unauthorized, { } given) => $"refused the credentials of user '{given.Username}' (a wrong or expired password or token)",
        (HttpStatusCode.Forbidden, null) => "forbids anonymous access",
        (HttpStatusCode.Forbidden, { } given) => $"accepted user '{given.Username}' but forbids this (the token lacks the permission, e.g. GHCR's write:packages or the package's access settings)",
        _ => $"refused with {(int)status} {status}",
    };

    /// <summary>A short gloss for a status no caller handles itself; null when the status says enough.</summary>
    public static string? Meaning(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "not signed in, or the credentials were refused",
        HttpStatusCode.Forbidden => "signed in, but without the permission",
        HttpStatusCode.NotFound => "no such repository, manifest or blob",
        HttpStatusCode.MethodNotAllowed => "the registry does not allow this operation",
        HttpStatusCode.RequestEntityTooLarge => "the registry refuses content this large",
        _ => null,
    };
}
