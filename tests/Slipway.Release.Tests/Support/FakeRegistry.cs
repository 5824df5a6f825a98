using System.Text;
using System.Text.Json;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;

namespace Slipway.Release.Tests.Support;

/// <summary>
/// A registry as the publishing stages see it, in memory: manifests by reference (a chart manifest carries the chart
/// layer's digest, as helm pushes it), optionally refusing strangers or a user or failing a push, and a record of every
/// question asked and every manifest put.
/// </summary>
internal sealed class FakeRegistry : IOciRegistry
{
    private readonly Dictionary<string, byte[]> _manifests = [];
    private readonly List<string> _calls = [];

    public RegistryCheck Reachable { get; set; } = new(true, "reachable");

    public RegistryCheck CredentialsCheck { get; set; } = new(true, "accepted");

    /// <summary>Answer 401 to anonymous manifest requests, as a private package does.</summary>
    public bool PrivateToStrangers { get; set; }

    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>Stores a chart manifest whose chart layer has <paramref name="chartDigest"/>; returns the manifest's digest.</summary>
    public string HoldChart(string reference, string chartDigest) => Hold(reference, ChartManifest(chartDigest));

    public string Hold(string reference, byte[] manifest)
    {
        _manifests[reference] = manifest;
        return OciRegistryClient.Sha256Digest(manifest);
    }

    public static byte[] ChartManifest(string chartDigest) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        schemaVersion = 2,
        config = new { mediaType = "application/vnd.cncf.helm.config.v1+json", digest = "sha256:" + new string('c', 64), size = 2 },
        layers = new[] { new { mediaType = ChartPublisher.ChartLayerMediaType, digest = chartDigest, size = 100 } },
    });

    public Task<RegistryCheck> CheckReachableAsync(string registry, CancellationToken cancellationToken = default)
    {
        _calls.Add($"reachable {registry}");
        return Task.FromResult(Reachable);
    }

    public Task<RegistryCheck> CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default)
    {
        _calls.Add($"credentials {registry} {credentials.Username}");
        return Task.FromResult(CredentialsCheck);
    }

    public Task<ManifestResolution> ResolveManifestAsync(OciReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        _calls.Add($"resolve {reference} as {credentials?.Username ?? "anonymous"}");
        ManifestResolution answer = credentials is null && PrivateToStrangers
            ? new ManifestResolution.Unauthorized($"{reference} is not publicly pullable: the registry refused an anonymous pull (401 UNAUTHORIZED: authentication required).", CredentialsSent: false)
            : _manifests.TryGetValue(reference.ToString(), out var manifest)
                ? new ManifestResolution.Found(OciRegistryClient.Sha256Digest(manifest), OciMediaTypes.ImageManifest, manifest)
                : new ManifestResolution.NotFound($"{reference} was not found (MANIFEST_UNKNOWN: manifest unknown).");
        return Task.FromResult(answer);
    }

    public Task<string> PushManifestAsync(OciReference reference, byte[] manifest, string mediaType, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        _calls.Add($"put {reference} as {credentials?.Username ?? "anonymous"}");
        if (FailPushesOf?.Invoke(reference) is { } failure)
            throw failure;
        return Task.FromResult(Hold(reference.ToString(), manifest));
    }

    /// <summary>A push of this reference fails with the returned exception; null lets it through.</summary>
    public Func<OciReference, Exception?>? FailPushesOf { get; set; }

    public static string DigestOf(string text) => OciRegistryClient.Sha256Digest(Encoding.UTF8.GetBytes(text));
}
