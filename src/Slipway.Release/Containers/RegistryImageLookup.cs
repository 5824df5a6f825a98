using System.Text.Json;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary><see cref="IImageLookup"/> with the OCI client.</summary>
public sealed class RegistryImageLookup(OciRegistryClient registry) : IImageLookup
{
    public async Task<string?> DigestAsync(OciReference reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default) =>
        reference.Digest ?? (await registry.ResolveManifestAsync(reference, credentials, cancellationToken) as ManifestResolution.Found)?.Digest;

    public async Task<ExistingIndex?> IndexAsync(OciReference tag, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        if (await registry.ResolveManifestAsync(tag, credentials, cancellationToken) is not ManifestResolution.Found found)
            return null;
        using var document = JsonDocument.Parse(found.Content);
        if (!document.RootElement.TryGetProperty("manifests", out _))
            return null;
        var annotations = document.RootElement.TryGetProperty("annotations", out var values)
            ? values.EnumerateObject().ToDictionary(pair => pair.Name, pair => pair.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
            : [];
        return new ExistingIndex(found.Digest, annotations, SdkContainerBuild.ReadPlatforms(found.Content));
    }
}
