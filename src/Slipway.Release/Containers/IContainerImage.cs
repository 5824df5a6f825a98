using Slipway.Release.Registry;
using Slipway.Release.Tools;
using Slipway.Release.Versioning;

namespace Slipway.Release.Containers;

/// <summary>A multi-platform OCI image of a .NET project, built with the SDK's container publishing (no Dockerfile, no daemon) and pushed to the run's registry.</summary>
public interface IContainerImage : IVersioning, IPublishRegistry
{
    [Parameter("Platforms of the image index")]
    string[] Platforms => ParameterValue<string[]>(nameof(Platforms)) ?? ["linux/amd64", "linux/arm64"];

    [Parameter("Base image; empty: Microsoft's chiseled runtime-deps when reachable, else a distroless base built from Debian packages")]
    string? BaseImage => ParameterValue<string>(nameof(BaseImage));

    [Parameter("Repository URL for the image's org.opencontainers.image.source label")]
    string? SourceUrl => ParameterValue<string>(nameof(SourceUrl))
        ?? (Variable("GITHUB_SERVER_URL") is { } server && Variable("GITHUB_REPOSITORY") is { } repository ? $"{server}/{repository}" : null);

    /// <summary>What ImageBuild builds in this run: <see cref="Platforms"/>, unless a lane that needs fewer narrows it.</summary>
    IReadOnlyList<string> ImageBuildPlatforms => Platforms;

    /// <summary>The project published as the image, relative to the root.</summary>
    string ImageProject { get; }

    /// <summary>The image's repository in the registry (<c>&lt;registry&gt;/&lt;repository&gt;:&lt;version&gt;</c>).</summary>
    string ImageRepository => Path.GetFileNameWithoutExtension(ImageProject).ToLowerInvariant();

    /// <summary>MSBuild properties for the publish, such as the version and commit the project bakes into its binary.</summary>
    IReadOnlyDictionary<string, string> ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>();

    Target ImageBuild => _ => _
        .Description("Build the multi-platform image index with the SDK's container publishing and push it to the run's registry")
        .DependsOn(Version, PublishRegistry)
        .Produces(async ct =>
        {
            var version = ResultOf<ReleaseVersion>(Version);
            var destination = ResultOf<PublishDestination>(PublishRegistry);
            var platforms = ImageBuildPlatforms.Select(ContainerPlatform.Parse).ToList();
            var registry = RegistryClient;
            var baseImage = await new BaseImageSelection(registry, Log).SelectAsync(
                BaseImage,
                async buildCt =>
                {
                    var distroless = new DistrolessBaseImage(Processes, new DebianPackageCache(Processes, ToolCache.Default, Log), registry, Log);
                    var built = await distroless.BuildAsync(platforms, version.Git.CommitTime, buildCt);
                    return await distroless.PushAsync(built, destination.Reference(BaseImageSelection.DistrolessRepository, BaseImageSelection.DistrolessTag), destination.Credentials, buildCt);
                },
                ct);

            var request = new SdkContainerRequest(
                Path.GetFullPath(ImageProject, RootDirectory),
                destination.Reference(ImageRepository, version.Version.ToString()),
                platforms,
                baseImage,
                new ImageProvenance(version.Version.ToString(), version.Git.Sha, version.Git.CommitTime, SourceUrl))
            {
                Properties = ImageBuildProperties(version),
                Credentials = destination.Credentials,
            };
            var image = await new SdkContainerBuild(Processes, registry, Secrets, Log).BuildAsync(request, ct);
            Host.SetOutput("image-digest", image.IndexDigest);
            return image;
        });
}
