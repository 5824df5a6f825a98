using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Publishing;

/// <summary>What an anonymous client saw.</summary>
public sealed record AnonymousPull(string Detail);

/// <summary>
/// The VerifyAnonymousPull stage, with no credentials at all: the registry API must serve the chart (following its token
/// challenge) at the pushed digest; helm, from an empty config home, must pull the very .tgz that was built; and every public
/// image must resolve to its digest. Whether the registry refuses strangers is read from the API's status (401/403); helm runs
/// only after the API served the chart anonymously, so a helm failure is reported as what it is, never guessed from its text.
/// </summary>
/// <param name="helmAt">helm with its config, cache and data homes in the given folder (it retries a transient fault itself).</param>
/// <param name="createTemporaryDirectory">Makes the empty folder helm pulls from (<see cref="ISlipwayBuild.CreateTemporaryDirectory"/>: in the run's temp root).</param>
public sealed class AnonymousPullVerifier(IOciRegistry registry, Func<string, IHelmRegistryClient> helmAt, Func<string, DirectoryInfo> createTemporaryDirectory, IBuildLog log)
{
    public async Task<AnonymousPull> VerifyAsync(
        PublishedChart published,
        PackagedChart chart,
        PublishDestination destination,
        IEnumerable<(OciReference Reference, string Digest)> publicImages,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(destination);
        await VerifyThroughApiAsync(published.Reference, published.Digest, cancellationToken);
        await VerifyHelmPullAsync(published.Reference, chart, destination, cancellationToken);

        var images = new List<string>();
        foreach (var (reference, digest) in publicImages)
        {
            await VerifyThroughApiAsync(reference, digest, cancellationToken);
            images.Add($"{reference} ({digest})");
        }

        var imageDetail = images.Count == 0 ? string.Empty : $"; image {string.Join(", ", images)} through the registry API";
        return new AnonymousPull($"{published.Reference} pulled anonymously through the registry API ({published.Digest}) and helm pull ({chart.Digest}){imageDetail}");
    }

    private async Task VerifyThroughApiAsync(OciReference reference, string digest, CancellationToken cancellationToken)
    {
        switch (await registry.ResolveManifestAsync(reference, credentials: null, cancellationToken))
        {
            case ManifestResolution.Found found when found.Digest == digest:
                log.Info($"Registry API, anonymous: {reference} resolves to {found.Digest}");
                break;
            case ManifestResolution.Found found:
                throw new InvalidOperationException($"Anonymous pull of {reference} gives {found.Digest}, not the pushed {digest}.");
            case ManifestResolution.Unauthorized denied:
                throw new InvalidOperationException(
                    $"{denied.Message} Next step: make the package public " +
                    "(GHCR: the package's settings, Danger Zone, Change visibility, Public), then publish again: republishing the same commit is a no-op.");
            case var missing:
                throw new InvalidOperationException($"Anonymous pull of {reference} found nothing: {missing.Problem}");
        }
    }

    /// <summary>A second, independent check: helm itself, with an empty config home, so no stored login can help it.</summary>
    private async Task VerifyHelmPullAsync(OciReference reference, PackagedChart chart, PublishDestination destination, CancellationToken cancellationToken)
    {
        var emptyHome = createTemporaryDirectory("slipway-anonymous-helm-");
        try
        {
            string pulled;
            try
            {
                pulled = await helmAt(emptyHome.FullName).PullAsync(
                    $"oci://{destination.Registry}/charts/{chart.ChartName}", chart.ChartVersion, Path.Combine(emptyHome.FullName, "pulled"), destination.PlainHttp, cancellationToken);
            }
            catch (Exception failure) when (failure is HelmException or RetriesExhaustedException)
            {
                throw new InvalidOperationException($"helm pull (anonymous) of {reference} failed, although the registry API served it anonymously: {failure.Message}", failure);
            }

            var pulledDigest = OciRegistryClient.Sha256Digest(await File.ReadAllBytesAsync(pulled, cancellationToken));
            if (pulledDigest != chart.Digest)
                throw new InvalidOperationException($"helm pull (anonymous) of {reference} gave a chart {pulledDigest}, not the pushed {chart.Digest}.");
            log.Info($"helm pull, anonymous: {chart.ChartName}-{chart.ChartVersion}.tgz matches {chart.Digest}");
        }
        finally
        {
            emptyHome.Delete(recursive: true);
        }
    }
}
