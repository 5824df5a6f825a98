using Slipway.Release.Versioning;

namespace Slipway.Release.DotNet;

/// <summary>NuGet packages of the build's packable projects, versioned like the release, into <c>artifacts/packages/</c>.</summary>
public interface INuGetPack : IDotNetBuild, IVersioning
{
    string PackagesDirectory => Path.Combine(RootDirectory, "artifacts", "packages");

    /// <summary>The projects to pack, relative to the root; by default the solution (every project in it with IsPackable=true).</summary>
    IReadOnlyList<string> PackProjects => [SolutionToBuild];

    /// <summary>The repository the packages name; in GitHub Actions its URL, elsewhere Source Link's (the git remote).</summary>
    string? PackageRepositoryUrl =>
        Variable("GITHUB_SERVER_URL") is { } server && Variable("GITHUB_REPOSITORY") is { } repository ? $"{server}/{repository}" : null;

    Target Pack => _ => _
        .Description("Pack the NuGet packages (the release version, deterministic, with Source Link) into artifacts/packages/")
        .DependsOn(Version)
        .Produces(ct => new NuGetPacker(Processes, Log).PackAsync(
            new PackRequest(PackProjects, ResultOf<ReleaseVersion>(Version).Version.ToString(), PackagesDirectory, Path.Combine(RootDirectory, ".nuke", "temp", "pack"), PackageRepositoryUrl)
            {
                Configuration = Configuration,
            },
            RootDirectory,
            ct));
}
