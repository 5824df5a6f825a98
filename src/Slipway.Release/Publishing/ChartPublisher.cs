using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Publishing;

/// <summary>The chart as the registry holds it after the push: reference by version, manifest digest read back from the registry.</summary>
public sealed record PublishedChart(OciReference Reference, string Digest, bool AlreadyPublished);

/// <summary>What a chart push will do, decided before anything is pushed.</summary>
public abstract record ChartPushPlan(PackagedChart Chart, PublishDestination Destination, OciReference Reference)
{
    /// <summary>The registry holds this very chart under the version already: nothing to push.</summary>
    public sealed record AlreadyPublished(PackagedChart Chart, PublishDestination Destination, OciReference Reference, string ManifestDigest)
        : ChartPushPlan(Chart, Destination, Reference);

    /// <summary>The version is free: push the chart there.</summary>
    public sealed record Push(PackagedChart Chart, PublishDestination Destination, OciReference Reference)
        : ChartPushPlan(Chart, Destination, Reference);
}

/// <summary>
/// The ChartPush stage. <see cref="PlanAsync"/> checks everything without changing the registry (reachable, credentials
/// accepted, what the version holds) and refuses a version that holds another chart, naming both digests.
/// <see cref="PushAsync"/> carries a plan out: nothing for the same chart; else log in, helm push, and read the digest back
/// from the registry, which must be what helm reported and hold the chart that was built. Two steps, so that a release can
/// plan all of its pushes before it makes the first.
/// </summary>
public sealed class ChartPublisher(IOciRegistry registry, IHelmRegistryClient helm, IBuildLog log)
{
    public const string ChartLayerMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    public async Task<PublishedChart> PublishAsync(PackagedChart chart, PublishDestination destination, CancellationToken cancellationToken = default) =>
        await PushAsync(await PlanAsync(chart, destination, cancellationToken), cancellationToken);

    public async Task<ChartPushPlan> PlanAsync(PackagedChart chart, PublishDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(destination);
        var reference = destination.Reference($"charts/{chart.ChartName}", chart.ChartVersion);
        await PreflightAsync(destination, cancellationToken);
        return await registry.ResolveManifestAsync(reference, destination.Credentials, cancellationToken) switch
        {
            ManifestResolution.Found existing when ChartLayerDigest(existing.Content) == chart.Digest =>
                new ChartPushPlan.AlreadyPublished(chart, destination, reference, existing.Digest),
            ManifestResolution.Found existing => throw new InvalidOperationException(
                $"Refusing to overwrite {reference}: it is already published with different content. " +
                $"The registry has chart {ChartLayerDigest(existing.Content) ?? "(no chart layer)"} (manifest {existing.Digest}); this build made {chart.Digest}. " +
                "A published version is immutable: commit, so the version changes, and publish again."),
            ManifestResolution.Unauthorized denied => throw new InvalidOperationException($"The registry refused to show whether {reference} exists: {denied.Message}"),
            _ => new ChartPushPlan.Push(chart, destination, reference),
        };
    }

    public async Task<PublishedChart> PushAsync(ChartPushPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (chart, destination, reference) = (plan.Chart, plan.Destination, plan.Reference);
        if (plan is ChartPushPlan.AlreadyPublished existing)
        {
            log.Info($"{reference} is already published with the same content ({existing.ManifestDigest}): nothing to push.");
            return new PublishedChart(reference, existing.ManifestDigest, AlreadyPublished: true);
        }

        if (destination.Credentials is { } credentials)
            await helm.LoginAsync(destination.Host, credentials.Username, credentials.Password, destination.PlainHttp, cancellationToken);
        var pushed = await helm.PushAsync(chart.Path, $"oci://{destination.Registry}/charts", destination.PlainHttp, cancellationToken);

        var resolution = await registry.ResolveManifestAsync(reference, destination.Credentials, cancellationToken);
        if (resolution is not ManifestResolution.Found readBack)
            throw new InvalidOperationException($"helm pushed {reference}, but the registry does not serve it back: {resolution.Problem}");
        var servedChart = ChartLayerDigest(readBack.Content);
        if (readBack.Digest != pushed.Digest || servedChart != chart.Digest)
            throw new InvalidOperationException($"The registry serves {reference} as {readBack.Digest} (chart {servedChart ?? "(no chart layer)"}), but helm pushed {pushed.Digest} (chart {chart.Digest}).");
        log.Info($"Pushed {reference}@{readBack.Digest} (read back from the registry)");
        return new PublishedChart(reference, readBack.Digest, AlreadyPublished: false);
    }

    private async Task PreflightAsync(PublishDestination destination, CancellationToken cancellationToken)
    {
        var reachable = await registry.CheckReachableAsync(destination.Host, cancellationToken);
        if (!reachable.Succeeded)
            throw new InvalidOperationException($"Registry {destination.Host} is not reachable: {reachable.Message}");
        if (destination.Credentials is { } credentials)
        {
            var accepted = await registry.CheckCredentialsAsync(destination.Host, credentials, cancellationToken);
            if (!accepted.Succeeded)
                throw new InvalidOperationException($"Registry {destination.Host} refused the credentials of '{credentials.Username}': {accepted.Message}");
        }

        log.Info($"Preflight: {destination.Host} reachable{(destination.Credentials is null ? string.Empty : ", credentials accepted")}");
    }

    /// <summary>The digest of the chart .tgz a manifest carries; null when it carries none (not a Helm chart).</summary>
    public static string? ChartLayerDigest(byte[] manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        if (!document.RootElement.TryGetProperty("layers", out var layers))
            return null;
        return layers.EnumerateArray()
            .Where(layer => layer.TryGetProperty("mediaType", out var type) && type.GetString() == ChartLayerMediaType)
            .Select(layer => layer.GetProperty("digest").GetString())
            .FirstOrDefault();
    }
}
