using Slipway.Logging;
using Slipway.Release.Oci;

namespace Slipway.Release.Publishing;

/// <summary>A tag a release sets under its version, and the manifest (by digest) it must name.</summary>
public sealed record ReleaseTag(OciReference Reference, string Digest);

/// <summary>What one tag will do, decided before anything is tagged.</summary>
public abstract record TagDecision(ReleaseTag Tag)
{
    /// <summary>Free: set it.</summary>
    public sealed record Set(ReleaseTag Tag) : TagDecision(Tag);

    /// <summary>It names this very manifest already: nothing to do.</summary>
    public sealed record AlreadySet(ReleaseTag Tag) : TagDecision(Tag);

    /// <summary>It names other content (or the registry would not say): refused, with the reason naming both digests.</summary>
    public sealed record Refuse(ReleaseTag Tag, string Reason) : TagDecision(Tag);
}

/// <summary>The tags a release set, each set now or already there.</summary>
public sealed record TaggedRelease(IReadOnlyList<ReleaseTag> Set, IReadOnlyList<ReleaseTag> AlreadySet)
{
    public bool Equals(TaggedRelease? other) => other is not null && Set.SequenceEqual(other.Set) && AlreadySet.SequenceEqual(other.AlreadySet);

    public override int GetHashCode() => HashCode.Combine(Set.Count, AlreadySet.Count);
}

/// <summary>A release that stopped halfway: the message says exactly which references exist now and how the rerun completes it.</summary>
public sealed class PartiallyPublishedException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>
/// A release version's tags are immutable, the image's exactly like the chart's: a free tag is set, a tag that names the
/// same digest is a no-op, and one that names other content is refused naming both. <see cref="PlanAsync"/> decides without
/// changing anything; <see cref="SetAsync"/> decides again just before it acts (another run may have tagged since) and sets
/// the free tags from manifests the registry already holds by digest, so setting a tag moves no content.
/// </summary>
public sealed class ReleaseTagger(IOciRegistry registry, IBuildLog log)
{
    public async Task<IReadOnlyList<TagDecision>> PlanAsync(IEnumerable<ReleaseTag> tags, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var decisions = new List<TagDecision>();
        foreach (var tag in tags)
        {
            decisions.Add(await registry.ResolveManifestAsync(tag.Reference, credentials, cancellationToken) switch
            {
                ManifestResolution.Found found when found.Digest == tag.Digest => new TagDecision.AlreadySet(tag),
                ManifestResolution.Found found => new TagDecision.Refuse(tag,
                    $"Refusing to move {tag.Reference}: it names {found.Digest}, and this build made {tag.Digest}."),
                ManifestResolution.Unauthorized denied => new TagDecision.Refuse(tag, $"The registry would not show whether {tag.Reference} exists: {denied.Message}"),
                _ => new TagDecision.Set(tag),
            });
        }

        return decisions;
    }

    /// <param name="publishedBefore">What this release already made visible (the chart), for the message when a tag cannot be set.</param>
    public async Task<TaggedRelease> SetAsync(IEnumerable<ReleaseTag> tags, RegistryCredentials? credentials, IReadOnlyList<string> publishedBefore, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(tags, credentials, cancellationToken);
        var refusals = plan.OfType<TagDecision.Refuse>().ToList();
        if (refusals.Count > 0)
            throw new InvalidOperationException($"{string.Join(" ", refusals.Select(refusal => refusal.Reason))} {ReleaseRefusal.Immutable} Nothing was tagged.");

        var already = plan.OfType<TagDecision.AlreadySet>().Select(decision => decision.Tag).ToList();
        foreach (var tag in already)
            log.Info($"{tag.Reference} already names {tag.Digest}: nothing to tag.");

        var pending = plan.OfType<TagDecision.Set>().Select(decision => decision.Tag).ToList();
        var set = new List<ReleaseTag>();
        foreach (var tag in pending)
        {
            try
            {
                await SetOneAsync(tag, credentials, cancellationToken);
            }
            catch (Exception exception) when (exception is OciRegistryException or InvalidOperationException)
            {
                var now = publishedBefore.Concat(already.Concat(set).Select(done => $"{done.Reference} = {done.Digest}")).ToList();
                throw new PartiallyPublishedException(
                    $"Setting {tag.Reference} failed: {exception.Message} In the registry now under this version: {(now.Count == 0 ? "nothing" : string.Join(", ", now))}; " +
                    $"not tagged: {string.Join(", ", pending.Except(set).Select(missing => missing.Reference.ToString()))} (their manifests are in the registry by digest). " +
                    "Next step: publish this commit again; what is published already is a no-op, and the missing tags are set.",
                    exception);
            }

            set.Add(tag);
            log.Info($"Tagged {tag.Reference} = {tag.Digest}");
        }

        return new TaggedRelease(set, already);
    }

    private async Task SetOneAsync(ReleaseTag tag, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var byDigest = OciReference.Parse($"{tag.Reference.Registry}/{tag.Reference.Repository}@{tag.Digest}");
        if (await registry.ResolveManifestAsync(byDigest, credentials, cancellationToken) is not ManifestResolution.Found manifest)
            throw new InvalidOperationException($"the registry does not hold {byDigest}, the manifest the tag must name.");
        await registry.PushManifestAsync(tag.Reference, manifest.Content, manifest.MediaType, credentials, cancellationToken);
    }
}

/// <summary>The words every refusal of a taken version ends with.</summary>
public static class ReleaseRefusal
{
    public const string Immutable = "A published version is immutable: commit, so that the version changes, and publish again.";
}
