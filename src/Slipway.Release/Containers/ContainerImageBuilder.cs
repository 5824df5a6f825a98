using Slipway.Release.Registry;

namespace Slipway.Release.Containers;

/// <summary>What the ImageBuild stage builds: the project, where the image goes, and what it is stamped with.</summary>
/// <param name="RequestedBase"><c>--base-image</c>; null lets the stage choose.</param>
public sealed record ContainerImageRequest(
    string Project, PublishDestination Destination, string Repository, IReadOnlyList<ContainerPlatform> Platforms, string? RequestedBase, ImageProvenance Provenance)
{
    /// <summary>MSBuild properties for the publish, such as the version the project bakes into its binary.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Build even when the registry holds the index built from the same inputs (<c>--rebuild-image</c>).</summary>
    public bool Rebuild { get; init; }
}

/// <summary>
/// The ImageBuild stage: the base image (the one asked for, checked in its registry before MSBuild runs; Microsoft's when its
/// registry answers; else a distroless one built from Debian packages and pushed to the run's registry), then the SDK's
/// multi-platform build of the project on it, pushed by digest (the release tags it <c>&lt;registry&gt;/&lt;repository&gt;:&lt;version&gt;</c> last).
/// </summary>
public sealed class ContainerImageBuilder(BaseImageSelection baseImages, DistrolessBaseImage distroless, SdkContainerBuild sdk)
{
    public async Task<BuiltImage> BuildAsync(ContainerImageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var destination = request.Destination;
        var baseImage = await baseImages.SelectAsync(
            request.RequestedBase,
            request.Platforms,
            destination,
            buildCancellation => distroless.BuildAndPushAsync(
                new DistrolessBaseRequest(
                    destination.Reference(BaseImageSelection.DistrolessRepository, BaseImageSelection.DistrolessTag), request.Platforms, request.Provenance.CommitTime)
                {
                    Credentials = destination.Credentials,
                },
                buildCancellation),
            cancellationToken);

        return await sdk.BuildAsync(
            new SdkContainerRequest(request.Project, destination.Reference(request.Repository, request.Provenance.Version), request.Platforms, baseImage, request.Provenance)
            {
                Properties = request.Properties,
                Credentials = destination.Credentials,
                Rebuild = request.Rebuild,
            },
            cancellationToken);
    }
}
