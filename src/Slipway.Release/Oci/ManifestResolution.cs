namespace Slipway.Release.Oci;

/// <summary>What a registry answered for a manifest: the three outcomes a caller must tell apart.</summary>
public abstract record ManifestResolution
{
    private ManifestResolution()
    {
    }

    /// <summary>Why the manifest was not served (the registry's words and status); null when it was found.</summary>
    public string? Problem => this switch
    {
        NotFound missing => missing.Message,
        Unauthorized refused => refused.Message,
        _ => null,
    };

    /// <param name="Digest">sha256 of the exact manifest bytes, checked against the registry's Docker-Content-Digest.</param>
    public sealed record Found(string Digest, string MediaType, byte[] Content) : ManifestResolution;

    public sealed record NotFound(string Message) : ManifestResolution;

    /// <summary>
    /// 401 or 403. Without credentials this means the manifest is not publicly pullable, and <paramref name="Message"/> says so.
    /// </summary>
    public sealed record Unauthorized(string Message, bool CredentialsSent) : ManifestResolution;
}
