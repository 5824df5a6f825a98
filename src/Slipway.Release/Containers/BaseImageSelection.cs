using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Oci;
using Slipway.Release.Registry;

namespace Slipway.Release.Containers;

/// <summary>
/// Chooses the base image: the one asked for, once the registry shows it exists and has every platform the build needs (so
/// an unusable <c>--base-image</c> is refused here, naming the parameter, and not deep inside MSBuild); else Microsoft's
/// chiseled runtime-deps image when its registry answers within a few seconds; else a distroless base built here from
/// Debian packages and pushed to the run's registry. The choice and why are logged once.
/// </summary>
public sealed class BaseImageSelection(OciRegistryClient registry, IBuildLog log)
{
    public const string MicrosoftDefault = "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled";

    /// <summary>Where the distroless fallback goes in the run's registry.</summary>
    public const string DistrolessRepository = "slipway/runtime-deps";

    public const string DistrolessTag = "debian12";

    private const string NextStep = "fix the reference, push that image, or leave --base-image empty to use the default base";

    public static TimeSpan ReachabilityTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <param name="requested"><c>--base-image</c>, when given.</param>
    /// <param name="platforms">What the build makes: a requested base must have each of them.</param>
    /// <param name="destination">The run's registry: its credentials are used for a base that lives there.</param>
    /// <param name="buildDistroless">Builds and pushes the fallback (e.g. <see cref="DistrolessBaseImage.BuildAndPushAsync"/> into the run's registry).</param>
    public async Task<SelectedBaseImage> SelectAsync(
        string? requested, IReadOnlyList<ContainerPlatform> platforms, PublishDestination? destination, Func<CancellationToken, Task<BaseImage>> buildDistroless,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        SelectedBaseImage selected;
        if (!string.IsNullOrWhiteSpace(requested))
        {
            selected = await CheckRequestedAsync(requested.Trim(), platforms, destination, cancellationToken);
        }
        else
        {
            var microsoft = OciReference.Parse(MicrosoftDefault);
            var check = await CheckReachableAsync(microsoft.Registry, cancellationToken);
            if (check.Succeeded)
            {
                selected = new SelectedBaseImage(MicrosoftDefault, $"Microsoft's chiseled runtime-deps image (default; {microsoft.Registry} is reachable)");
            }
            else
            {
                log.Info($"{check.Message} Building a distroless base from Debian packages instead.");
                var built = await buildDistroless(cancellationToken);
                selected = new SelectedBaseImage(built.Reference, $"{built.Description}; {microsoft.Registry} is not reachable");
            }
        }

        log.Info($"Base image: {selected.Reference} ({selected.Description}).");
        return selected;
    }

    private async Task<SelectedBaseImage> CheckRequestedAsync(string requested, IReadOnlyList<ContainerPlatform> platforms, PublishDestination? destination, CancellationToken cancellationToken)
    {
        if (!OciReference.TryParse(requested, out var reference, out var error))
            throw new FormatException($"--base-image: {error} Next step: {NextStep}.");
        var credentials = destination?.Host == reference.Registry ? destination.Credentials : null;

        ManifestResolution resolution;
        try
        {
            resolution = await registry.ResolveManifestAsync(reference, credentials, cancellationToken);
        }
        catch (OciRegistryException unreachable)
        {
            throw new InvalidOperationException($"--base-image {requested} cannot be used: {unreachable.Message} Next step: {NextStep}.", unreachable);
        }

        switch (resolution)
        {
            case ManifestResolution.NotFound missing:
                throw new InvalidOperationException($"--base-image {requested} cannot be used: the registry has no such image ({missing.Message}) Next step: {NextStep}.");
            case ManifestResolution.Unauthorized denied when credentials is null && destination?.Host != reference.Registry:
                // Another registry's login is the SDK's to use (docker config), not this build's: say so, and let the SDK try.
                log.Warning($"--base-image {requested} could not be checked: {denied.Message} The SDK will pull it with your docker login for {reference.Registry}.");
                return new SelectedBaseImage(requested, "given with --base-image, not checked: its registry wants a login this build does not have");
            case ManifestResolution.Unauthorized denied:
                throw new InvalidOperationException($"--base-image {requested} cannot be used: {denied.Message} Next step: {NextStep}.");
        }

        var found = (ManifestResolution.Found)resolution;
        var offered = await PlatformsAsync(reference, found, credentials, cancellationToken);
        var missingPlatforms = platforms.Where(platform => !offered.Contains(platform.ToString())).ToList();
        if (missingPlatforms.Count > 0)
        {
            throw new InvalidOperationException(
                $"--base-image {requested} ({found.Digest}) has no {string.Join(", ", missingPlatforms)} image; it has {(offered.Count == 0 ? "no platform it names" : string.Join(", ", offered))}. " +
                $"Next step: give a base that has every --platforms entry ({string.Join(", ", platforms)}), or build fewer platforms with --platforms.");
        }

        return new SelectedBaseImage(requested, $"given with --base-image: {found.Digest}, {string.Join(", ", offered)}");
    }

    /// <summary>The <c>os/architecture</c> pairs a base offers: an index's entries, or a single manifest's config.</summary>
    private async Task<IReadOnlyList<string>> PlatformsAsync(OciReference reference, ManifestResolution.Found found, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        using var manifest = JsonDocument.Parse(found.Content);
        if (manifest.RootElement.TryGetProperty("manifests", out _))
            return [.. SdkContainerBuild.ReadPlatforms(found.Content).Select(platform => platform.Platform).Distinct(StringComparer.Ordinal)];
        if (!manifest.RootElement.TryGetProperty("config", out var config) || config.GetProperty("digest").GetString() is not { } configDigest)
            return [];
        using var configJson = JsonDocument.Parse(await registry.GetBlobAsync(reference.Registry, reference.Repository, configDigest, credentials, cancellationToken));
        var root = configJson.RootElement;
        return root.TryGetProperty("os", out var os) && root.TryGetProperty("architecture", out var architecture)
            ? [$"{os.GetString()}/{architecture.GetString()}"]
            : [];
    }

    private async Task<RegistryCheck> CheckReachableAsync(string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReachabilityTimeout);
        try
        {
            return await registry.CheckReachableAsync(host, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RegistryCheck(false, $"Registry '{host}' did not answer within {ReachabilityTimeout.TotalSeconds:0} s.");
        }
    }
}
