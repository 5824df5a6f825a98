using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Publishing;

/// <summary>The chart as the registry holds it after the push: reference by version, manifest digest read back from the registry.</summary>
public sealed record PublishedChart(OciReference Reference, string Digest, bool AlreadyPublished);

/// <summary>What a chart push will do, decided before anything is pushed, with the decisions for the release's other tags.</summary>
public abstract record ChartPushPlan(PackagedChart Chart, PublishDestination Destination, OciReference Reference)
{
    /// <summary>The release's other tags (the image's): each free or already naming this build's manifest, else the plan was refused.</summary>
    public IReadOnlyList<TagDecision> Tags { get; init; } = [];

    public virtual bool Equals(ChartPushPlan? other) =>
        other is not null && EqualityContract == other.EqualityContract && Chart == other.Chart && Destination == other.Destination && Reference == other.Reference && Tags.SequenceEqual(other.Tags);

    public override int GetHashCode() => HashCode.Combine(Chart, Reference, Tags.Count);

    /// <summary>The registry holds this very chart under the version already: nothing to push.</summary>
    public sealed record AlreadyPublished(PackagedChart Chart, PublishDestination Destination, OciReference Reference, string ManifestDigest)
        : ChartPushPlan(Chart, Destination, Reference);

    /// <summary>The version is free: push the chart there.</summary>
    public sealed record Push(PackagedChart Chart, PublishDestination Destination, OciReference Reference)
        : ChartPushPlan(Chart, Destination, Reference);
}

/// <summary>
/// The ChartPush stage. <see cref="PlanAsync"/> reads, and changes nothing: what the chart's version holds and what each of
/// the release's other tags holds; a version or tag taken by other content is refused, all of them at once, naming both
/// digests, before anything of this release becomes visible. <see cref="PushAsync"/> carries a plan out: nothing for the same
/// chart; else log in, helm push, and read the digest back from the registry, which must be what helm reported and hold the
/// chart that was built. helm retries transient registry faults itself (<see cref="HelmCli"/> runs its registry verbs under
/// the shared policy); pushing the same chart to a version the plan found free or holding it already is idempotent. When
/// helm still fails, the registry is asked what it holds now, so the message says exactly that. The login is undone as
/// soon as the push is over, whatever happened.
/// </summary>
public sealed class ChartPublisher(IOciRegistry registry, IHelmRegistryClient helm, IBuildLog log)
{
    public const string ChartLayerMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    public async Task<PublishedChart> PublishAsync(PackagedChart chart, PublishDestination destination, CancellationToken cancellationToken = default) =>
        await PushAsync(await PlanAsync(chart, destination, [], cancellationToken), cancellationToken);

    /// <param name="otherTags">The tags the release sets after the chart (the image's); checked now, so a taken one stops the release before the chart is pushed.</param>
    public async Task<ChartPushPlan> PlanAsync(PackagedChart chart, PublishDestination destination, IEnumerable<ReleaseTag> otherTags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(destination);
        var reference = destination.Reference($"charts/{chart.ChartName}", chart.ChartVersion);
        var refusals = new List<string>();
        ChartPushPlan? plan = null;
        switch (await registry.ResolveManifestAsync(reference, destination.Credentials, cancellationToken))
        {
            case ManifestResolution.Found existing when ChartLayerDigest(existing.Content) == chart.Digest:
                plan = new ChartPushPlan.AlreadyPublished(chart, destination, reference, existing.Digest);
                break;
            case ManifestResolution.Found existing:
                refusals.Add(
                    $"Refusing to overwrite {reference}: it is already published with different content. " +
                    $"The registry has chart {ChartLayerDigest(existing.Content) ?? "(no chart layer)"} (manifest {existing.Digest}); this build made {chart.Digest}.");
                break;
            case ManifestResolution.Unauthorized denied:
                refusals.Add($"The registry refused to show whether {reference} exists: {denied.Message}");
                break;
            default:
                plan = new ChartPushPlan.Push(chart, destination, reference);
                break;
        }

        var tags = await new ReleaseTagger(registry, log).PlanAsync(otherTags, destination.Credentials, cancellationToken);
        refusals.AddRange(tags.OfType<TagDecision.Refuse>().Select(refusal => refusal.Reason));
        if (refusals.Count > 0 || plan is null)
            throw new InvalidOperationException($"{string.Join(" ", refusals)} {ReleaseRefusal.Immutable} Nothing was pushed or tagged.");

        foreach (var tag in tags)
            log.Info(tag is TagDecision.AlreadySet ? $"Planned: {tag.Tag.Reference} already names {tag.Tag.Digest}" : $"Planned: {tag.Tag.Reference} is free; ImageTag sets it to {tag.Tag.Digest} after the chart");
        return plan with { Tags = tags };
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

        HelmPushResult pushed;
        var loggedIn = false;
        try
        {
            if (destination.Credentials is { } credentials)
            {
                await helm.LoginAsync(destination.Host, credentials.Username, credentials.Password, destination.PlainHttp, cancellationToken);
                loggedIn = true;
            }

            pushed = await helm.PushAsync(chart.Path, $"oci://{destination.Registry}/charts", destination.PlainHttp, cancellationToken);
        }
        catch (Exception failure) when (failure is HelmException or RetriesExhaustedException)
        {
            throw new InvalidOperationException(
                $"helm could not push {reference}: {failure.Message} {await WhatIsThereNowAsync(plan, "before it failed", "once the registry answers", cancellationToken)}", failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped mid-push, the chart may be visible already: say what a consumer sees now, in a moment of the stop's budget.
            using var look = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                log.Warning($"Stopped while helm pushed {reference}. {await WhatIsThereNowAsync(plan, "before the stop", "when you are ready", look.Token)}");
            }
            catch (OperationCanceledException)
            {
                log.Warning($"Stopped while helm pushed {reference}; whether the registry holds it now is unknown (no answer within 2 s). Next step: publish this commit again; what is published already is a no-op.");
            }

            throw;
        }
        finally
        {
            if (loggedIn)
                await LogOutAsync(destination.Host);
        }

        var resolution = await registry.ResolveManifestAsync(reference, destination.Credentials, cancellationToken);
        if (resolution is not ManifestResolution.Found readBack)
            throw new InvalidOperationException($"helm pushed {reference}, but the registry does not serve it back: {resolution.Problem}");
        var servedChart = ChartLayerDigest(readBack.Content);
        if (readBack.Digest != pushed.Digest || servedChart != chart.Digest)
            throw new InvalidOperationException($"The registry serves {reference} as {readBack.Digest} (chart {servedChart ?? "(no chart layer)"}), but helm pushed {pushed.Digest} (chart {chart.Digest}).");
        log.Info($"Pushed {reference}@{readBack.Digest} (read back from the registry)");
        return new PublishedChart(reference, readBack.Digest, AlreadyPublished: false);
    }

    /// <summary>Not cancellable: a cancelled push must still forget its login (the run's temp root, where it is kept, goes at the end anyway).</summary>
    private async Task LogOutAsync(string host)
    {
        try
        {
            await helm.LogoutAsync(host, CancellationToken.None);
        }
        catch (HelmException failure)
        {
            log.Warning($"helm registry logout {host} failed ({failure.Message}); the login goes with the run's temp folder at the end.");
        }
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

    /// <summary>After a failed or stopped push: whether the chart's version exists now, and that no other tag of the release was set yet.</summary>
    private async Task<string> WhatIsThereNowAsync(ChartPushPlan plan, string how, string when, CancellationToken cancellationToken)
    {
        var pending = plan.Tags.OfType<TagDecision.Set>().Select(tag => tag.Tag.Reference.ToString()).ToList();
        var untagged = pending.Count == 0 ? string.Empty : $" Not tagged yet: {string.Join(", ", pending)} (the image is in the registry by digest only).";
        string chart;
        try
        {
            chart = await registry.ResolveManifestAsync(plan.Reference, plan.Destination.Credentials, cancellationToken) is ManifestResolution.Found found
                ? $"The registry holds {plan.Reference} now ({found.Digest}, chart {ChartLayerDigest(found.Content) ?? "(none)"}): helm's push got through {how}."
                : $"The registry holds nothing under {plan.Reference}.";
        }
        catch (OciRegistryException unknown)
        {
            chart = $"Whether the registry holds {plan.Reference} now is unknown: {unknown.Message}";
        }

        return $"{chart}{untagged} Next step: publish this commit again {when}; what is published already is a no-op.";
    }
}
