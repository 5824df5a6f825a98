using Slipway.Release.Registry;
using Slipway.Release.Tools;
using Slipway.Release.Versioning;

namespace Slipway.Release.Containers;

/// <summary>A multi-platform OCI image of a .NET project, built with the SDK's container publishing (no Dockerfile, no daemon) and pushed to the run's registry.</summary>
public interface IContainerImage : IVersioning, IPublishRegistry
{
    [Parameter("Platforms of the image index"), CheckedBy<SupportedPlatformCheck>]
    string[] Platforms => ParameterValue<string[]>(nameof(Platforms)) ?? ["linux/amd64", "linux/arm64"];

    [Parameter("Base image; empty: Microsoft's chiseled runtime-deps when reachable, else a distroless base built from Debian packages")]
    string? BaseImage => ParameterValue<string>(nameof(BaseImage));

    [Parameter("Repository URL for the image's org.opencontainers.image.source label")]
    string? SourceUrl => ParameterValue<string>(nameof(SourceUrl))
        ?? (Variable("GITHUB_SERVER_URL") is { } server && Variable("GITHUB_REPOSITORY") is { } repository ? $"{server}/{repository}" : null);

    [Parameter("Build the image even when the registry holds the index built from the same inputs (same commit, clean tree, same SDK, base and parameters)")]
    bool RebuildImage => ParameterValue<bool?>(nameof(RebuildImage)) ?? false;

    /// <summary>What ImageBuild builds in this run: <see cref="Platforms"/>, unless a lane that needs fewer narrows it.</summary>
    IReadOnlyList<string> ImageBuildPlatforms => Platforms;

    /// <summary>The project published as the image, relative to the root.</summary>
    string ImageProject { get; }

    /// <summary>The image's repository in the registry (<c>&lt;registry&gt;/&lt;repository&gt;:&lt;version&gt;</c>).</summary>
    string ImageRepository => Path.GetFileNameWithoutExtension(ImageProject).ToLowerInvariant();

    /// <summary>MSBuild properties for the publish, such as the version and commit the project bakes into its binary.</summary>
    IReadOnlyDictionary<string, string> ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>();

    /// <summary>The ImageBuild stage; a build may override it (or one of the members below) to swap a collaborator.</summary>
    ContainerImageBuilder ImageBuilder => new(new BaseImageSelection(RegistryClient, Log), DistrolessBase, new SdkContainerBuild(Processes, RegistryClient, Secrets, Log));

    /// <summary>The base built from Debian packages when Microsoft's registry is out of reach.</summary>
    DistrolessBaseImage DistrolessBase => new(Processes, new DebianPackageCache(Processes, ToolCache.Default, Log), RegistryClient, CreateTemporaryDirectory, Log);

    Target ImageBuild => _ => _
        .Description("Build the multi-platform image index with the SDK's container publishing and push it to the run's registry")
        .DependsOn(Version, PublishRegistry)
        .Produces(async ct =>
        {
            var version = ResultOf<ReleaseVersion>(Version);
            var request = new ContainerImageRequest(
                Path.GetFullPath(ImageProject, RootDirectory),
                ResultOf<PublishDestination>(PublishRegistry),
                ImageRepository,
                [.. ImageBuildPlatforms.Select(ContainerPlatform.Parse)],
                BaseImage,
                new ImageProvenance(version.Version.ToString(), version.Git.Sha, version.Git.CommitTime, SourceUrl))
            {
                Properties = ImageBuildProperties(version),
                Rebuild = RebuildImage,
            };
            var image = await ImageBuilder.BuildAsync(request, ct);
            Host.SetOutput("image-digest", image.IndexDigest);
            return image;
        });
}
