using Slipway.Logging;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>
/// Chooses the base image: the one asked for; else Microsoft's chiseled runtime-deps image when its registry answers
/// within a few seconds; else a distroless base built here from Debian packages and pushed to the run's registry.
/// The returned description says which, and why.
/// </summary>
public sealed class BaseImageSelection(OciRegistryClient registry, IBuildLog log)
{
    public const string MicrosoftDefault = "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled";

    /// <summary>Where the distroless fallback goes in the run's registry.</summary>
    public const string DistrolessRepository = "slipway/runtime-deps";

    public const string DistrolessTag = "debian12";

    public static TimeSpan ReachabilityTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <param name="requested"><c>--base-image</c>, when given.</param>
    /// <param name="buildDistroless">Builds and pushes the fallback (e.g. <see cref="DistrolessBaseImage.BuildAndPushAsync"/> into the run's registry).</param>
    public async Task<SelectedBaseImage> SelectAsync(string? requested, Func<CancellationToken, Task<BaseImage>> buildDistroless, CancellationToken cancellationToken = default)
    {
        SelectedBaseImage selected;
        if (!string.IsNullOrWhiteSpace(requested))
        {
            if (!OciReference.TryParse(requested, out _, out var error))
                throw new FormatException($"--base-image: {error}");
            selected = new SelectedBaseImage(requested.Trim(), "given with --base-image");
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
