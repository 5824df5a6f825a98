using Slipway.Logging;
using Slipway.Processes;

namespace Slipway.Release.DotNet;

/// <summary>What to pack: the projects (or a solution: its IsPackable projects), the version, and where the packages go.</summary>
/// <param name="BuildDirectory">
/// Where the deterministic build puts its bin/ and obj/ (one folder per project), apart from the everyday build's; inside the
/// source tree, so that the generated sources there are mapped to <c>/_/</c> like every other.
/// </param>
/// <param name="RepositoryUrl">For the packages' repository metadata; null leaves it to Source Link (the git remote).</param>
public sealed record PackRequest(IReadOnlyList<string> Projects, string Version, string OutputDirectory, string BuildDirectory, string? RepositoryUrl = null)
{
    public string Configuration { get; init; } = "Release";
}

/// <summary>The packages written, absolute paths, in name order.</summary>
public sealed record PackedPackages(IReadOnlyList<string> Paths);

/// <summary>
/// Packs NuGet packages with <c>dotnet pack</c>: one run per project, the release version, a deterministic build (the source
/// root mapped to <c>/_/</c>, so no path of this machine is in a package) and Source Link's repository URL and commit. That
/// build has its own bin/ and obj/ (the SDK's artifacts layout), so it never replaces what Compile built. The output folder
/// is emptied of packages first, so it holds exactly this version's.
/// </summary>
public sealed class NuGetPacker(IProcessRunner runner, IBuildLog log)
{
    /// <param name="workingDirectory">The source tree: the root of the repository that holds the projects.</param>
    public async Task<PackedPackages> PackAsync(PackRequest request, string workingDirectory, CancellationToken cancellationToken = default)
    {
        if (Path.GetRelativePath(workingDirectory, request.BuildDirectory) is var relative && (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)))
        {
            throw new ArgumentException(
                $"The pack build directory {request.BuildDirectory} is outside the source tree {workingDirectory}: its generated sources would keep that path in the packages. Choose a folder inside it (e.g. .nuke/temp/pack).",
                nameof(request));
        }

        Directory.CreateDirectory(request.OutputDirectory);
        foreach (var stale in Directory.EnumerateFiles(request.OutputDirectory, "*.nupkg"))
            File.Delete(stale);

        foreach (var project in request.Projects)
            await runner.RunAsync(Command(request, project) with { WorkingDirectory = workingDirectory }, cancellationToken);

        var packages = Directory.EnumerateFiles(request.OutputDirectory, "*.nupkg").Order(StringComparer.Ordinal).ToList();
        if (packages.Count == 0)
            throw new InvalidOperationException($"dotnet pack wrote no package into {request.OutputDirectory} for {string.Join(", ", request.Projects)}: none of them sets IsPackable=true.");
        foreach (var package in packages)
            log.Info($"Packed {Path.GetFileName(package)}");
        return new PackedPackages(packages);
    }

    public static ToolCommand Command(PackRequest request, string project)
    {
        var arguments = new List<string>
        {
            "pack", project, "-c", request.Configuration, "-o", request.OutputDirectory, "--nologo",
            $"-p:Version={request.Version}",
            "-p:ContinuousIntegrationBuild=true",
            "-p:UseArtifactsOutput=true",
            $"-p:ArtifactsPath={request.BuildDirectory}",
        };
        if (request.RepositoryUrl is { } url)
            arguments.Add($"-p:RepositoryUrl={url}");
        return new ToolCommand("dotnet", arguments);
    }
}
