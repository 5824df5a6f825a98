using System.Security.Cryptography;
using System.Text;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>Git's view of the files an image is built from.</summary>
public interface ISourceTree
{
    /// <summary>The top folder of the work tree that holds <paramref name="directory"/>; null when it is in none.</summary>
    Task<string?> TopLevelAsync(string directory, CancellationToken cancellationToken = default);

    /// <summary>The object ids at HEAD of <paramref name="paths"/> (relative to <paramref name="topLevel"/>; absent ones left out) and every file in or under them that differs from HEAD, untracked ones included.</summary>
    Task<SourceSnapshot> SnapshotAsync(string topLevel, IReadOnlyList<string> paths, CancellationToken cancellationToken = default);
}

/// <param name="Objects">Path (relative, '/') to git object id at HEAD.</param>
/// <param name="Changed">Paths with uncommitted changes (modified, staged, deleted or untracked).</param>
public sealed record SourceSnapshot(IReadOnlyDictionary<string, string> Objects, IReadOnlyList<string> Changed);

/// <summary>The projects a project file references (<c>ProjectReference</c>), as full paths.</summary>
public interface IProjectReferences
{
    /// <exception cref="InvalidDataException">A reference cannot be resolved without evaluating MSBuild.</exception>
    IReadOnlyList<string> Of(string projectFile);
}

/// <summary>The .NET SDK version that builds in a folder (global.json applied).</summary>
public interface ISdkVersion
{
    Task<string> VersionAsync(string directory, CancellationToken cancellationToken = default);
}

/// <summary>What the registry holds.</summary>
public interface IImageLookup
{
    /// <summary>The manifest digest a reference names (its own digest when it has one); null when the registry does not serve it.</summary>
    Task<string?> DigestAsync(OciReference reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default);

    /// <summary>The index under a tag; null when there is none (or only a single-platform manifest).</summary>
    Task<ExistingIndex?> IndexAsync(OciReference tag, RegistryCredentials? credentials, CancellationToken cancellationToken = default);
}

public sealed record ExistingIndex(string Digest, IReadOnlyDictionary<string, string> Annotations, IReadOnlyList<PlatformImage> Platforms);

/// <summary>Build, or take what the registry already holds.</summary>
/// <param name="InputHash">The content hash of the image's inputs; null when they cannot be pinned (a dirty tree), so the result must not claim any.</param>
public abstract record ReuseDecision(string? InputHash)
{
    public sealed record Reuse(ExistingIndex Image, string Hash) : ReuseDecision(Hash);

    public sealed record Build(string Reason, string? Hash) : ReuseDecision(Hash);
}

/// <summary>
/// Decides whether an image must be built. Its inputs are hashed into one content hash: the project and the projects it
/// references as git tree content at HEAD, with the files MSBuild imports from the folders above them (Directory.Build.*,
/// Directory.Packages.props, global.json, NuGet.config); the SDK version; the base image's digest; the platforms, build
/// properties, labels, user and configuration; and the format of Slipway's own normalisation. A built index records that
/// hash as the annotation <see cref="InputsAnnotation"/> and is tagged <see cref="InputsTag"/>; when the registry's index
/// under the target tag, or else under the inputs' tag, carries the same hash and lists every platform, it is reused and
/// the SDK does not run. Any uncommitted change in those files (the work
/// tree is then not what HEAD says) or any changed input builds afresh, and so does <c>Rebuild</c>.
/// </summary>
public sealed class ImageReuse(ISourceTree sources, IProjectReferences references, ISdkVersion sdk, IImageLookup images)
{
    public const string InputsAnnotation = "dev.slipway.image.inputs";

    /// <summary>Bumped whenever the same inputs would give other bytes (the normaliser's layout, the chunked gzip).</summary>
    public const string Format = "slipway-image-inputs/2";

    /// <summary>
    /// The tag an index built from <paramref name="hash"/> is also pushed under, in the target's repository: not a version,
    /// so no consumer takes it for a release, and the same inputs always name the same bytes, so it never moves.
    /// </summary>
    public static OciReference InputsTag(OciReference target, string hash) =>
        OciReference.Parse($"{target.Registry}/{target.Repository}:{InputsTagPrefix}{hash[(hash.IndexOf(':', StringComparison.Ordinal) + 1)..]}");

    public const string InputsTagPrefix = "slipway-inputs-";

    /// <summary>What MSBuild and NuGet read from a project's folder and every folder above it.</summary>
    public static IReadOnlyList<string> ImportedFiles { get; } =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config", "NuGet.Config"];

    public async Task<ReuseDecision> DecideAsync(SdkContainerRequest request, CancellationToken cancellationToken = default)
    {
        var (hash, unpinned) = await HashInputsAsync(request, cancellationToken);
        if (request.Rebuild)
            return new ReuseDecision.Build("--rebuild-image asks for a fresh build", hash);
        if (hash is null)
            return new ReuseDecision.Build(unpinned!, null);

        // The version's tag is set only by a release, last; a build of the same inputs that was never released (a retried
        // job, a Publish that failed after ImageBuild, a lane run) is found under the inputs' own tag.
        var inputsTag = InputsTag(request.Target, hash);
        var existing = await images.IndexAsync(request.Target, request.Credentials, cancellationToken)
            ?? await images.IndexAsync(inputsTag, request.Credentials, cancellationToken);
        if (existing is null)
            return new ReuseDecision.Build($"the registry has no index under {request.Target} or {inputsTag.Tag} yet", hash);
        if (!existing.Annotations.TryGetValue(InputsAnnotation, out var recorded))
            return new ReuseDecision.Build($"{request.Target} ({existing.Digest}) records no inputs (built from a dirty tree or by another tool)", hash);
        if (recorded != hash)
            return new ReuseDecision.Build($"{request.Target} ({existing.Digest}) was built from other inputs ({recorded}, now {hash})", hash);
        var missing = request.Platforms.Where(platform => !existing.Platforms.Any(image => image.Platform == platform.ToString())).ToList();
        if (missing.Count > 0)
            return new ReuseDecision.Build($"{request.Target} ({existing.Digest}) lacks {string.Join(", ", missing)}", hash);
        return new ReuseDecision.Reuse(existing, hash);
    }

    /// <summary>The inputs' content hash, or null and why they cannot be pinned.</summary>
    private async Task<(string? Hash, string? Unpinned)> HashInputsAsync(SdkContainerRequest request, CancellationToken cancellationToken)
    {
        var project = Path.GetFullPath(request.Project);
        var projectDirectory = Path.GetDirectoryName(project)!;
        if (await sources.TopLevelAsync(projectDirectory, cancellationToken) is not { } top)
            return (null, $"{projectDirectory} is not in a git work tree, so its content cannot be pinned");
        var topLevel = Path.GetFullPath(top);
        var sdkVersion = sdk.VersionAsync(projectDirectory, cancellationToken);

        IReadOnlyList<string> projects;
        try
        {
            projects = ProjectClosure(project);
        }
        catch (InvalidDataException exception)
        {
            return (null, $"the project's inputs cannot be listed ({exception.Message})");
        }

        var outside = projects.FirstOrDefault(path => Path.GetRelativePath(topLevel, path).StartsWith("..", StringComparison.Ordinal));
        if (outside is not null)
            return (null, $"{outside} lies outside the git work tree {topLevel}");

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var directory in projects.Select(path => Path.GetDirectoryName(path)!))
        {
            paths.Add(Relative(topLevel, directory));
            for (var folder = directory; folder is not null && folder.Length >= topLevel.Length; folder = Path.GetDirectoryName(folder))
            {
                foreach (var name in ImportedFiles)
                    paths.Add(Relative(topLevel, Path.Combine(folder, name)));
            }
        }

        var snapshot = await sources.SnapshotAsync(topLevel, [.. paths], cancellationToken);
        if (snapshot.Changed.Count > 0)
            return (null, $"the work tree has uncommitted changes the image is built from ({string.Join(", ", snapshot.Changed.Take(5))}{(snapshot.Changed.Count > 5 ? ", ..." : string.Empty)})");

        var baseReference = OciReference.Parse(request.Base.Reference);
        var baseCredentials = baseReference.Registry == request.Target.Registry ? request.Credentials : null;
        var baseDigest = await images.DigestAsync(baseReference, baseCredentials, cancellationToken);
        if (baseDigest is null)
            return (null, $"the base image {request.Base.Reference} cannot be resolved to a digest");

        var inputs = new StringBuilder()
            .Append(Format).Append('\n')
            .Append("project ").Append(Relative(topLevel, project)).Append('\n')
            .Append("sdk ").Append(await sdkVersion).Append('\n')
            .Append("base ").Append(SdkContainerBuild.PortableBaseName(request.Base.Reference) ?? "(on this machine's registry)").Append(' ').Append(baseDigest).Append('\n')
            .Append("platforms ").Append(string.Join(',', request.Platforms)).Append('\n')
            .Append("configuration ").Append(request.Configuration).Append('\n')
            .Append("user ").Append(request.User).Append('\n');
        foreach (var (name, value) in SdkContainerBuild.Labels(request))
            inputs.Append("label ").Append(name).Append('=').Append(value).Append('\n');
        foreach (var (name, value) in request.Properties.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            inputs.Append("property ").Append(name).Append('=').Append(value).Append('\n');
        foreach (var path in paths)
            inputs.Append("tree ").Append(path).Append(' ').Append(snapshot.Objects.TryGetValue(path, out var id) ? id : "absent").Append('\n');
        return ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString()))), null);
    }

    /// <summary>The project and every project it references, directly or not.</summary>
    private List<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.Count > 0)
        {
            var next = Path.GetFullPath(pending.Pop());
            if (seen.Contains(next, StringComparer.Ordinal))
                continue;
            seen.Add(next);
            foreach (var reference in references.Of(next))
                pending.Push(reference);
        }

        return seen;
    }

    private static string Relative(string topLevel, string path) =>
        Path.GetRelativePath(topLevel, path).Replace(Path.DirectorySeparatorChar, '/');
}
