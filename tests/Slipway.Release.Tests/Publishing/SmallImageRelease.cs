using System.Text;
using System.Text.Json;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Smoke;
using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Publishing;

/// <summary>
/// The container release with its two heavy stages made small: ImageBuild pushes a tiny two-platform image (an index of
/// amd64 and arm64 manifests, by digest, as the real one does) whose layers carry <c>TEST_IMAGE_CONTENT</c>, and ImageSmoke
/// runs nothing. Everything from the preflight to the release record is the real component code, against the real registry
/// and the real helm: the ordering of pushes and tags, refusals, partial failures and reruns.
/// </summary>
internal sealed class SmallImageRelease : SlipwayBuild, IContainerRelease
{
    public static readonly RetryBudget FastRetries = new(maxAttempts: 5, firstDelay: TimeSpan.FromMilliseconds(20), maxDelay: TimeSpan.FromMilliseconds(200), total: TimeSpan.FromSeconds(60));

    string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

    SmokeEndpoints ISmokeContract.SmokeEndpoints => Smoke.BeaconImageFixture.Endpoints;

    RegistryRetry IPublishRegistry.RegistryRetry => Shared(() => new RegistryRetry(Log, FastRetries));

    Target IContainerImage.ImageBuild => _ => _
        .DependsOn(this.From<IVersioning>().Version, this.From<IPublishRegistry>().PublishRegistry, this.From<IPublishRegistry>().PublishPreflight)
        .Produces(ct =>
        {
            var destination = ResultOf<PublishDestination>(this.From<IPublishRegistry>().PublishRegistry);
            var version = ResultOf<ReleaseVersion>(this.From<IVersioning>().Version);
            var tag = destination.Reference("beacon", version.Version.ToString());
            return PushAsync(this.From<IPublishRegistry>().RegistryClient, tag, Variable("TEST_IMAGE_CONTENT") ?? "first", destination.Credentials, ct);
        });

    Target IImageSmoke.ImageSmoke => _ => _
        .DependsOn(this.From<IContainerImage>().ImageBuild, this.From<IChartPublish>().ChartPackage)
        .Executes(() => Log.Info("ImageSmoke: not run for the small image"));

    Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);

    private static async Task<BuiltImage> PushAsync(OciRegistryClient client, OciReference tag, string content, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var entries = new List<object>();
        var platforms = new List<PlatformImage>();
        foreach (var platform in ContainerPlatform.Default)
        {
            var config = JsonSerializer.SerializeToUtf8Bytes(new { os = platform.Os, architecture = platform.Architecture, rootfs = new { type = "layers", diff_ids = Array.Empty<string>() } });
            var layer = Encoding.UTF8.GetBytes($"{content} for {platform}");
            var configDigest = await client.PushBlobAsync(tag.Registry, tag.Repository, config, credentials, cancellationToken);
            var layerDigest = await client.PushBlobAsync(tag.Registry, tag.Repository, layer, credentials, cancellationToken);
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new
            {
                schemaVersion = 2,
                mediaType = OciMediaTypes.ImageManifest,
                config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
                layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layer.Length } },
            });
            var digest = await client.PushManifestAsync(ByDigest(tag, manifest), manifest, OciMediaTypes.ImageManifest, credentials, cancellationToken);
            entries.Add(new { mediaType = OciMediaTypes.ImageManifest, digest, size = manifest.Length, platform = new { os = platform.Os, architecture = platform.Architecture } });
            platforms.Add(new PlatformImage(platform.ToString(), digest));
        }

        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = OciMediaTypes.ImageIndex, manifests = entries });
        var indexDigest = await client.PushManifestAsync(ByDigest(tag, index), index, OciMediaTypes.ImageIndex, credentials, cancellationToken);
        return new BuiltImage($"{tag.Registry}/{tag.Repository}@{indexDigest}", tag.ToString(), indexDigest, platforms, "scratch", "a test image");
    }

    private static OciReference ByDigest(OciReference tag, byte[] manifest) => OciReference.Parse($"{tag.Registry}/{tag.Repository}@{OciRegistryClient.Sha256Digest(manifest)}");
}
