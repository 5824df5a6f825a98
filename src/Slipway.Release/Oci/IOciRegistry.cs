namespace Slipway.Release.Oci;

/// <summary>
/// What the publishing stages ask a registry, each answer classified by the HTTP status the registry gave: whether it is
/// there, whether it takes the credentials, what a tag or digest holds; and the one change they make themselves, a tag. <see cref="OciRegistryClient"/> is the real one;
/// unit tests answer with a fake.
/// </summary>
public interface IOciRegistry
{
    Task<RegistryCheck> CheckReachableAsync(string registry, CancellationToken cancellationToken = default);

    Task<RegistryCheck> CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default);

    Task<ManifestResolution> ResolveManifestAsync(OciReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>PUTs a manifest under the reference's tag (or digest) and returns its digest.</summary>
    Task<string> PushManifestAsync(OciReference reference, byte[] manifest, string mediaType, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);
}
