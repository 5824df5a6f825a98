using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Containers;
using Slipway.Release.Oci;

namespace Slipway.Release.Smoke;

/// <summary>How the smoke went for one platform of the image.</summary>
public abstract record PlatformSmokeOutcome(string Platform, string ManifestDigest)
{
    public sealed record Passed(string Platform, string ManifestDigest, SmokeResult Result) : PlatformSmokeOutcome(Platform, ManifestDigest);

    public sealed record Failed(string Platform, string ManifestDigest, string Message, SmokeResult? Result) : PlatformSmokeOutcome(Platform, ManifestDigest);

    public sealed record Skipped(string Platform, string ManifestDigest, string Reason) : PlatformSmokeOutcome(Platform, ManifestDigest);
}

/// <summary>
/// The image smoke: for each platform of an image (an index, or a single manifest), unpack it, run it as the chart runs
/// it, check the smoke contract, stop it and delete its rootfs; one platform at a time (they share the chart's port).
/// </summary>
/// <param name="createTemporaryDirectory">Makes the folders images are unpacked into (a build's <c>CreateTemporaryDirectory</c>: in the run's temp root).</param>
public sealed class ImageSmoke(OciRegistryClient client, IImageRunner runner, SmokeContract contract, Func<string, DirectoryInfo> createTemporaryDirectory, IBuildLog log)
{
    public async Task<IReadOnlyList<PlatformSmokeOutcome>> RunAsync(
        OciReference image, RunSpec spec, SmokeExpectations expected, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<PlatformSmokeOutcome>();
        foreach (var (platform, manifest) in await PlatformsAsync(client, image, credentials, cancellationToken))
        {
            log.Info($"Image smoke: {platform} ({manifest.Digest}).");
            outcomes.Add(await RunPlatformAsync(platform, manifest, spec, expected, credentials, cancellationToken));
        }

        return outcomes;
    }

    /// <summary>Logs how each platform went and fails naming the platforms the image does not fit on; a skipped one (no emulator) only warns.</summary>
    /// <exception cref="InvalidOperationException">A platform failed the smoke.</exception>
    public static IReadOnlyList<PlatformSmokeOutcome> EnsurePassed(IReadOnlyList<PlatformSmokeOutcome> outcomes, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(log);
        foreach (var outcome in outcomes)
        {
            switch (outcome)
            {
                case PlatformSmokeOutcome.Passed passed:
                    log.Info($"{passed.Platform}: smoke contract passed");
                    break;
                case PlatformSmokeOutcome.Skipped skipped:
                    log.Warning($"{skipped.Platform}: skipped: {skipped.Reason}");
                    break;
                case PlatformSmokeOutcome.Failed failed:
                    log.Error($"{failed.Platform}: {failed.Message}");
                    break;
            }
        }

        var failures = outcomes.OfType<PlatformSmokeOutcome.Failed>().ToList();
        if (failures.Count > 0)
            throw new InvalidOperationException($"The image does not fit the chart on {string.Join(", ", failures.Select(failure => failure.Platform))}: {failures[0].Message}");
        return outcomes;
    }

    /// <summary>The runnable platforms of an index (attestation entries, platform unknown/unknown, left out), or the manifest itself.</summary>
    public static async Task<IReadOnlyList<(string Platform, OciReference Manifest)>> PlatformsAsync(
        OciRegistryClient client, OciReference image, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var resolution = await client.ResolveManifestAsync(image, credentials, cancellationToken);
        if (resolution is not ManifestResolution.Found found)
            throw new OciRegistryException(resolution.Problem ?? $"{image} could not be resolved.");
        var byDigest = OciReference.Parse($"{image.Registry}/{image.Repository}@{found.Digest}");
        if (found.MediaType is not (OciMediaTypes.ImageIndex or OciMediaTypes.DockerManifestList))
            return [("(single manifest)", byDigest)];

        using var document = JsonDocument.Parse(found.Content);
        var platforms = new List<(string, OciReference)>();
        foreach (var entry in document.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var platform = entry.TryGetProperty("platform", out var value) ? value : default;
            string Field(string name) => platform.ValueKind == JsonValueKind.Object && platform.TryGetProperty(name, out var field) ? field.GetString() ?? string.Empty : string.Empty;
            var (os, architecture, variant) = (Field("os"), Field("architecture"), Field("variant"));
            if (os is "" or "unknown" || architecture is "" or "unknown")
                continue;
            var name = $"{os}/{architecture}{(variant.Length == 0 ? string.Empty : "/" + variant)}";
            platforms.Add((name, OciReference.Parse($"{image.Registry}/{image.Repository}@{entry.GetProperty("digest").GetString()}")));
        }

        return platforms;
    }

    private async Task<PlatformSmokeOutcome> RunPlatformAsync(
        string platform, OciReference manifest, RunSpec spec, SmokeExpectations expected, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var digest = manifest.Digest!;
        try
        {
            var rootfs = await ImageRootfs.PullAsync(client, manifest, createTemporaryDirectory, log, credentials, cancellationToken);
            var launch = await runner.StartAsync(rootfs, spec, cancellationToken);
            if (launch is ImageLaunch.Skipped skipped)
                return new PlatformSmokeOutcome.Skipped(platform, digest, skipped.Reason);

            await using var image = ((ImageLaunch.Started)launch).Image;
            var result = await contract.CheckAsync(image, spec, expected, cancellationToken);
            return result.Passed
                ? new PlatformSmokeOutcome.Passed(platform, digest, result)
                : new PlatformSmokeOutcome.Failed(platform, digest, new SmokeFailedException(result).Message, result);
        }
        catch (Exception exception) when (exception is ImageRunException or OciRegistryException or InvalidDataException or FormatException)
        {
            return new PlatformSmokeOutcome.Failed(platform, digest, exception.Message, null);
        }
    }
}
