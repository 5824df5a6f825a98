using Slipway.Release.Containers;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Signing;
using Slipway.Release.Smoke;

namespace Slipway.Release.Publishing;

// The release pipeline, stage by stage as --plan Publish prints it: each target, its component, what it does, and the typed
// result it hands on (→) to later targets, which read it with ResultOf. The plan itself is stored and reviewed in
// tests/Pipeline.Tests/Plans/Publish.txt: a reordering fails that test until the new plan is accepted there.
//
// 1 ChartLint           IChartGates       helm lint --strict, the defaults and every ci/*.yaml case
//   ChartRender         IChartGates       helm template of every case; each ci/invalid case must fail as it says  → RenderedChart
//   PublishRegistry     IPublishRegistry  --registry, or an embedded registry for the run (stopped at the end)   → PublishDestination
//   Version             IVersioning       SemVer from v* tags, commit height and short sha                        → ReleaseVersion
// 2 ManifestValidate    IChartGates       every rendered object parsed strictly against the Kubernetes types      → ValidatedChart
// 3 ChartPolicy         IChartGates       the policy rules over those same objects
// 4 ImageBuild          IContainerImage   after every chart gate: base image, SDK multi-platform build, pushed    → BuiltImage
// 5 ChartPackage        IChartPublish     stamped copy pinning the image index digest, linted, reproducible .tgz  → ChartPackage
// 6 ImageSmoke          IImageSmoke       each platform of the image run as the stamped chart runs it             → smoke outcomes
// 7 ChartPush           IChartPublish     after the smoke: preflight, then no-op, refuse or push; read back       → PublishedChart
// 8 VerifyAnonymousPull IChartPublish     with no credentials, registry API and helm pull give the pushed digests → AnonymousPull
//   Sign                ISigning          cosign by digest (image index, chart), or skipped with the precise reason → SigningOutcome
// 9 Publish             IRelease          whatever stage 8 did: artifacts/release.json and the run summary
//
// Targets of one stage may run at once. This interface adds the edges between components (ImageBuild after the gates,
// ChartPackage after ImageBuild, ChartPush after ImageSmoke) and the values that cross them (ChartImage, PublicImages,
// ImageSignTargets, ReleasedImage).

/// <summary>
/// A release of a service shipped as an image plus a chart: the image is built once every chart gate passed, the chart pins
/// it by digest, the smoke proves they fit before the chart is pushed, and the image index is signed, verified and recorded too.
/// </summary>
public interface IContainerRelease : IRelease, IImageSmoke
{
    Target IContainerImage.ImageBuild => _ => _
        .Inherit<IContainerImage>(x => x.ImageBuild)
        .DependsOn<IChartGates>();

    Target IChartPublish.ChartPackage => _ => _
        .Inherit<IChartPublish>(x => x.ChartPackage)
        .DependsOn(ImageBuild);

    Target IChartPublish.ChartPush => _ => _
        .Inherit<IChartPublish>(x => x.ChartPush)
        .DependsOn(ImageSmoke);

    ImagePin? IChartPublish.ChartImage => BuiltImageOf() is { } image ? new ImagePin(Repository(image), image.IndexDigest) : null;

    IEnumerable<(OciReference Reference, string Digest)> IChartPublish.PublicImages =>
        BuiltImageOf() is { } image ? [(OciReference.Parse(image.Tag), image.IndexDigest)] : [];

    IEnumerable<SignTarget> ISigning.ImageSignTargets =>
        BuiltImageOf() is { } image ? [new SignTarget(image.Reference, Recursive: true)] : [];

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
