using Slipway.Release.Containers;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Signing;
using Slipway.Release.Smoke;

namespace Slipway.Release.Publishing;

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
