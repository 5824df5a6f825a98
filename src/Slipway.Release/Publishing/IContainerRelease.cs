using Slipway.Release.Containers;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Signing;
using Slipway.Release.Smoke;

namespace Slipway.Release.Publishing;

// The release pipeline, stage by stage as --plan Publish prints it: each target, its component, what it does, and the typed
// result it hands on (→) to later targets, which read it with ResultOf. The plan itself is stored and reviewed in
// tests/Pipeline.Tests/Plans/Publish.txt: a reordering fails that test until the new plan is accepted there.
//
// All or nothing, as far as a registry allows: every check that can fail without publishing runs before anything becomes
// visible under the release version. PublishPreflight (registry, credentials, a clean tree, signing identity, cosign, the
// identity to verify) runs first; ImageBuild pushes by digest only; ChartPush checks the chart's version and every image tag before it
// pushes the chart; ImageTag sets the image's tags last. What cannot be atomic (the chart is visible before the image tags
// are set; signing follows both) says exactly what exists when it fails, and a rerun of the commit completes it.
//
// 1 ChartLint           IChartGates       helm lint --strict, the defaults and every ci/*.yaml case
//   ChartRender         IChartGates       helm template of every case; each ci/invalid case must fail as it says  → RenderedChart
//   PublishRegistry     IPublishRegistry  --registry, or an embedded registry for the run (stopped at the end)   → PublishDestination
//   Version             IVersioning       SemVer from v* tags, commit height and short sha                        → ReleaseVersion
// 2 ManifestValidate    IChartGates       every rendered object parsed strictly against the Kubernetes types      → ValidatedChart
//   PublishPreflight    IPublishRegistry  registry reachable, credentials accepted; IChartPublish: a clean tree (or --allow-dirty);
//                                         ISigning: identity, cosign, what to verify
// 3 ChartPolicy         IChartGates       the policy rules over those same objects
// 4 ImageBuild          IContainerImage   after every chart gate: base image, SDK multi-platform build, by digest → BuiltImage
// 5 ChartPackage        IChartPublish     stamped copy pinning the image index digest, linted, reproducible .tgz  → ChartPackage
// 6 ImageSmoke          IImageSmoke       each platform of the image run as the stamped chart runs it             → smoke outcomes
// 7 ChartPush           IChartPublish     chart version and image tags checked (taken: refused), push, read back  → PublishedChart
// 8 ImageTag            IContainerRelease the image's version tags, set last (same digest: no-op)                 → TaggedRelease
// 9 VerifyAnonymousPull IChartPublish     with no credentials, registry API and helm pull give the pushed digests → AnonymousPull
//   Sign                ISigning          cosign by digest (image index, chart), or skipped with the precise reason → SigningOutcome
// 10 VerifySignature    ISigning          cosign verify of every signed digest against the expected identity     → SignatureVerification
// 11 Publish            IRelease          whatever stages 9 and 10 did: artifacts/release.json and the run summary
//
// Targets of one stage may run at once. This interface adds the edges between components (ImageBuild after the gates and
// the preflight, ChartPackage after ImageBuild, ChartPush after ImageSmoke, ImageTag after ChartPush and before the checks)
// and the values that cross them (ChartImage, PublicImages, ReleaseTags, ImageSignTargets, ReleasedImage).

/// <summary>
/// A release of a service shipped as an image plus a chart: the image is built once every chart gate passed, the chart pins
/// it by digest, the smoke proves they fit before the chart is pushed, the image's tags are set last, and the image index
/// is signed, verified and recorded too.
/// </summary>
public interface IContainerRelease : IRelease, IImageSmoke
{
    Target IContainerImage.ImageBuild => _ => _
        .Inherit<IContainerImage>(x => x.ImageBuild)
        .DependsOn<IChartGates>()
        .DependsOn(PublishPreflight);

    Target IChartPublish.ChartPackage => _ => _
        .Inherit<IChartPublish>(x => x.ChartPackage)
        .DependsOn(ImageBuild);

    Target IChartPublish.ChartPush => _ => _
        .Inherit<IChartPublish>(x => x.ChartPush)
        .DependsOn(ImageSmoke);

    Target ImageTag => _ => _
        .Description("Last: the image's version tags (each platform under <version>-<rid>, then the index under <version>); the same digest is a no-op, another one is refused")
        .DependsOn(ChartPush)
        .Produces(ct =>
        {
            var chart = ResultOf<PublishedChart>(ChartPush);
            return new ReleaseTagger(RegistryClient, Log).SetAsync(
                ReleaseTags, ResultOf<PublishDestination>(PublishRegistry).Credentials, [$"{chart.Reference} = {chart.Digest}"], ct);
        });

    Target ISigning.Sign => _ => _
        .Inherit<ISigning>(x => x.Sign)
        .DependsOn(ImageTag);

    Target IChartPublish.VerifyAnonymousPull => _ => _
        .Inherit<IChartPublish>(x => x.VerifyAnonymousPull)
        .DependsOn(ImageTag);

    Target IRelease.Publish => _ => _
        .Inherit<IRelease>(x => x.Publish)
        .DependsOn(ImageTag);

    ImagePin? IChartPublish.ChartImage => BuiltImageOf() is { } image ? new ImagePin(Repository(image), image.IndexDigest) : null;

    IEnumerable<(OciReference Reference, string Digest)> IChartPublish.PublicImages =>
        BuiltImageOf() is { } image ? [(OciReference.Parse(image.Tag), image.IndexDigest)] : [];

    IEnumerable<ReleaseTag> IChartPublish.ReleaseTags =>
        BuiltImageOf() is { } image ? image.Tags.Select(tag => new ReleaseTag(tag.Reference, tag.Digest)) : [];

    IEnumerable<SignTarget> ISigning.ImageSignTargets =>
        BuiltImageOf() is { } image
            ? [new SignTarget(image.Reference, Recursive: true) { Manifests = [.. image.Platforms.Select(platform => $"{Repository(image)}@{platform.Digest}")] }]
            : [];

    ImageRecord? IRelease.ReleasedImage =>
        BuiltImageOf() is { } image
            ? new ImageRecord(image.Tag, image.IndexDigest, [.. image.Platforms.Select(platform => new PlatformRecord(platform.Platform, platform.Digest))])
            : null;

    private BuiltImage? BuiltImageOf() => TryResultOf<BuiltImage>(ImageBuild);

    private static string Repository(BuiltImage image)
    {
        var reference = OciReference.Parse(image.Tag);
        return $"{reference.Registry}/{reference.Repository}";
    }
}
