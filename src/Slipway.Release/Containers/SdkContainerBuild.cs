using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Containers;

/// <summary>Where an image comes from: the commit it is built from.</summary>
/// <param name="Version">The release version: the tag and <c>org.opencontainers.image.version</c>.</param>
/// <param name="Revision">The full git sha: <c>org.opencontainers.image.revision</c>.</param>
/// <param name="CommitTime">The commit time: <c>org.opencontainers.image.created</c> and every timestamp in the image (never the wall clock).</param>
/// <param name="Source">The repository URL, for <c>org.opencontainers.image.source</c> (left out when null).</param>
public sealed record ImageProvenance(string Version, string Revision, DateTimeOffset CommitTime, string? Source = null);

/// <summary>The base an image is built on and why it was chosen.</summary>
public sealed record SelectedBaseImage(string Reference, string Description);

/// <summary>What to build and push.</summary>
/// <param name="Project">The project file to publish.</param>
/// <param name="Target">Registry, repository and tag, e.g. <c>127.0.0.1:5000/app:1.2.3</c>.</param>
public sealed record SdkContainerRequest(string Project, OciReference Target, IReadOnlyList<ContainerPlatform> Platforms, SelectedBaseImage Base, ImageProvenance Provenance)
{
    /// <summary>Extra MSBuild properties (<c>-p:Name=Value</c>), e.g. what the project bakes into its binary.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra image labels, next to the OCI ones from <see cref="Provenance"/>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>For the target registry; handed to the SDK, through its environment, only to pull a base that lives there.</summary>
    public RegistryCredentials? Credentials { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>The numeric user the image runs as.</summary>
    public int User { get; init; } = DistrolessBaseImage.UserId;

    /// <summary>Build even when the registry holds an index built from the same inputs (<see cref="ImageReuse"/>).</summary>
    public bool Rebuild { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);
}

/// <summary>A multi-platform image pushed by digest; its tags are set by the release, last (<see cref="Tags"/>).</summary>
/// <param name="Reference"><c>registry/repository@sha256:...</c> of the index.</param>
/// <param name="Tag"><c>registry/repository:tag</c>, the version tag the release sets on the index.</param>
public sealed record BuiltImage(string Reference, string Tag, string IndexDigest, IReadOnlyList<PlatformImage> Platforms, string BaseImage, string BaseDescription)
{
    /// <summary>
    /// The tags of this image under its version, with the manifest each must name: each platform's manifest under
    /// <c>&lt;tag&gt;-&lt;runtime identifier&gt;</c> (as the SDK tags them when it pushes itself), then the index under
    /// <see cref="Tag"/>, last, so the version tag appears only once every other tag is there.
    /// </summary>
    public IReadOnlyList<(OciReference Reference, string Digest)> Tags
    {
        get
        {
            var tag = OciReference.Parse(Tag);
            return [.. Platforms
                .Select(platform => (Platform: ContainerPlatform.Supported.FirstOrDefault(known => known.ToString() == platform.Platform), platform.Digest))
                .Where(platform => platform.Platform is not null)
                .Select(platform => (OciReference.Parse($"{tag.Registry}/{tag.Repository}:{tag.Tag}-{platform.Platform!.RuntimeIdentifier}"), platform.Digest)),
                (tag, IndexDigest)];
        }
    }
}

/// <summary>
/// Builds and pushes a multi-platform image with the .NET SDK's container publishing (<c>dotnet publish -t:PublishContainer</c>:
/// no Dockerfile, no daemon), unless the registry already holds the index built from the same inputs (<see cref="ImageReuse"/>).
/// The SDK writes the image to a local archive; <see cref="ImageNormalizer"/> pins its timestamps and pushes it once, with
/// the inputs' hash as an index annotation when the tree is clean. The result records the index's digest and each platform's.
/// <para>
/// Labels: the SDK passes labels from the outer (multi-RID) build to each per-RID build as one <c>name:value;...</c> string
/// and splits it again on ';' and ':', which truncates any value with a ':' (a URL, a timestamp, a registry port) and
/// fails the build on a ';' (MSB4184). So the labels whose values can hold those are switched off in the outer build
/// (created, description, version, base name) and this class sets its own labels as <c>ContainerLabel</c> items of the
/// per-RID builds only, through a generated targets file (<c>CustomAfterMicrosoftCommonTargets</c>).
/// </para>
/// </summary>
public sealed class SdkContainerBuild(IProcessRunner runner, OciRegistryClient registry, SecretRegistry secrets, IBuildLog log, ImageReuse? reuse = null)
{
    private readonly ImageReuse _reuse = reuse ?? new ImageReuse(new GitSourceTree(runner), new ProjectFileReferences(), new DotNetSdkVersion(runner), new RegistryImageLookup(registry));

    public async Task<BuiltImage> BuildAsync(SdkContainerRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Target.Tag is null || request.Target.Digest is not null)
            throw new ArgumentException($"The target '{request.Target}' must name a tag and no digest: the index is pushed by tag.", nameof(request));
        if (request.Platforms.Count == 0)
            throw new ArgumentException("At least one platform is needed.", nameof(request));

        var decision = await _reuse.DecideAsync(request, cancellationToken);
        if (decision is ReuseDecision.Reuse reused)
        {
            var image = Result(request, reused.Image.Digest, reused.Image.Platforms);
            log.Info($"Reused {image.Tag} = {image.IndexDigest}: the registry holds the index built from the same inputs ({reused.Hash}), so the SDK did not run " +
                $"(--rebuild-image builds it again): {string.Join(", ", image.Platforms.Select(platform => $"{platform.Platform} {platform.Digest}"))}.");
            return image;
        }

        var build = (ReuseDecision.Build)decision;
        log.Info($"Building {request.Target} for {string.Join(", ", request.Platforms)} on {request.Base.Reference}: {build.Reason}.");
        // A stable path, rewritten only when the labels change: MSBuild weighs this file's timestamp against its outputs, and a
        // fresh file on every run would recompile every platform even when nothing changed.
        var project = Path.GetFullPath(request.Project);
        var workDirectory = Path.Combine(Directory.Exists(project) ? project : Path.GetDirectoryName(project)!, "obj");
        Directory.CreateDirectory(workDirectory);
        var labelsFile = Path.Combine(workDirectory, "slipway-container-labels.targets");
        var labels = LabelsTargets(Labels(request));
        if (!File.Exists(labelsFile) || await File.ReadAllTextAsync(labelsFile, cancellationToken) != labels)
            await File.WriteAllTextAsync(labelsFile, labels, cancellationToken);
        var archivePath = Path.Combine(workDirectory, "slipway-image.tar");
        var chunksDirectory = Path.Combine(workDirectory, "slipway-layer-chunks");

        NormalizedImage pushed;
        try
        {
            await RunSdkAsync(request, Command(request, labelsFile, archivePath), cancellationToken);
            using var archive = SdkImageArchive.Open(archivePath);
            var chunks = LayerChunkCache.At(chunksDirectory);
            var annotations = build.Hash is { } hash ? new Dictionary<string, string> { [ImageReuse.InputsAnnotation] = hash } : [];
            var baseReference = OciReference.Parse(request.Base.Reference);
            var mountFrom = baseReference.Registry == request.Target.Registry ? baseReference.Repository : null;
            pushed = await new ImageNormalizer(registry, log).PublishAsync(
                archive, request.Target, request.Provenance.CommitTime, annotations, mountFrom, chunks, request.Credentials,
                build.Hash is { } inputs ? ImageReuse.InputsTag(request.Target, inputs) : null, cancellationToken);
            chunks.Prune();
            log.Debug($"App layer chunks: {chunks.Hits} reused, {chunks.Misses} compressed.");
        }
        finally
        {
            File.Delete(archivePath);
        }

        var missing = request.Platforms.Where(platform => !pushed.Platforms.Any(image => image.Platform == platform.ToString())).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"The index {request.Target} ({pushed.IndexDigest}) lists {string.Join(", ", pushed.Platforms.Select(image => image.Platform))}, not {string.Join(", ", missing)}. " +
                "Is SelfContained set unconditionally in the project? That builds the host architecture only.");

        var built = Result(request, pushed.IndexDigest, pushed.Platforms);
        log.Info($"Pushed {built.Reference} (by digest; the release tags it {built.Tag} last): {string.Join(", ", built.Platforms.Select(image => $"{image.Platform} {image.Digest}"))}; app layers {pushed.AppLayers}; " +
            $"blobs: {pushed.BlobsUploaded} uploaded, {pushed.BlobsMounted} mounted from {request.Base.Reference}, {pushed.BlobsPresent} already there; " +
            $"{(build.Hash is null ? "no input hash recorded, so this index is never reused" : $"inputs {build.Hash}")}.");
        return built;
    }

    /// <summary>
    /// Runs the SDK with its output captured, not streamed: the routine lines of a multi-platform build repeat per platform,
    /// so the log gets their summary and every warning, the build log every line; a failure is reported by its errors.
    /// </summary>
    private async Task RunSdkAsync(SdkContainerRequest request, ToolCommand command, CancellationToken cancellationToken)
    {
        log.Info($"dotnet publish -t:PublishContainer for {string.Join(", ", request.Platforms.Select(platform => platform.RuntimeIdentifier))} (the command and its whole output are in the build log at debug level)");
        var result = await runner.RunAsync(command with { StreamOutput = false, ThrowOnFailure = false }, cancellationToken);
        foreach (var line in (result.StandardOutput + "\n" + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            log.Debug(secrets.Redact(line.TrimEnd()));
        var output = SdkOutput.Read(result);
        foreach (var warning in output.ShownWarnings())
            log.Warning(secrets.Redact(warning));
        if (!result.Succeeded)
        {
            var errors = output.Errors.Count > 0
                ? output.Errors
                : (result.StandardOutput + "\n" + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(10);
            throw new InvalidOperationException(
                $"dotnet publish -t:PublishContainer of {request.Project} failed (exit code {result.ExitCode}):{Environment.NewLine}{secrets.Redact(string.Join(Environment.NewLine, errors))}" +
                $"{Environment.NewLine}The whole output is in the build log (.nuke/temp/build.log).");
        }

        log.Info(output.Summary(Path.GetDirectoryName(Path.GetFullPath(request.Project))!));
    }

    /// <summary>The <c>dotnet publish</c> invocation, with its environment (credentials are secrets, never on the command line).</summary>
    /// <param name="archivePath">Where the SDK writes the image (an OCI layout in a tar) instead of pushing it.</param>
    public ToolCommand Command(SdkContainerRequest request, string labelsFile, string archivePath)
    {
        var target = request.Target;
        var arguments = new List<string>
        {
            "publish", request.Project, "-c", request.Configuration, "-t:PublishContainer", "--nologo",
            $"-p:ContainerRuntimeIdentifiers=\"{string.Join(';', request.Platforms.Select(platform => platform.RuntimeIdentifier))}\"",
            $"-p:ContainerArchiveOutputPath={archivePath}",
            $"-p:ContainerRepository={target.Repository}",
            $"-p:ContainerImageTags={target.Tag}",
            $"-p:ContainerBaseImage={request.Base.Reference}",
            $"-p:ContainerUser={request.User.ToString(CultureInfo.InvariantCulture)}",
            // Source paths in the binaries and their PDBs mapped to /_/ (the SDK's deterministic source paths, from git's
            // source root), so the same commit builds the same bytes from any clone path.
            "-p:ContinuousIntegrationBuild=true",
            // The SDK's own created label is the wall clock; the others would be cut at ':' or ';' (see the class notes).
            "-p:ContainerGenerateLabelsImageCreated=false",
            "-p:ContainerGenerateLabelsImageDescription=false",
            "-p:ContainerGenerateLabelsImageVersion=false",
            "-p:ContainerGenerateLabelsImageBaseName=false",
            $"-p:CustomAfterMicrosoftCommonTargets={labelsFile}",
        };
        foreach (var (name, value) in request.Properties.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            arguments.Add($"-p:{name}={EscapeProperty(value)}");

        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        // The SDK only pulls the base; Slipway pushes.
        if (BaseRegistry(request.Base.Reference) is { } baseRegistry && OciReference.IsLoopback(baseRegistry))
            environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = baseRegistry;
        // The SDK reads DOTNET_CONTAINER_REGISTRY_* only when it pushes, and the PULL_ ones for any registry it pulls from:
        // so the target's login goes to the SDK only when the base lives on the target registry.
        if (request.Credentials is { } credentials && BaseRegistry(request.Base.Reference) == request.Target.Registry)
        {
            secrets.Register(credentials.Password);
            environment["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = credentials.Username;
            environment["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = credentials.Password;
        }

        return new ToolCommand("dotnet", arguments) { Environment = environment, Timeout = request.Timeout };
    }

    private static BuiltImage Result(SdkContainerRequest request, string indexDigest, IReadOnlyList<PlatformImage> platforms) =>
        new($"{request.Target.Registry}/{request.Target.Repository}@{indexDigest}", request.Target.ToString(), indexDigest, platforms, request.Base.Reference, request.Base.Description);

    /// <summary>
    /// The OCI labels from the provenance and base, then the caller's (which win on a clash). The base's name is left out
    /// when the base lives on a loopback registry (the embedded one): its address (a random port) names nothing anyone else
    /// can pull, and would make the same commit's image differ from run to run; the base is still identified, by the
    /// SDK's own <c>org.opencontainers.image.base.digest</c> (the digest of the base's manifest for that platform).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Labels(SdkContainerRequest request)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.opencontainers.image.created"] = FormatTime(request.Provenance.CommitTime),
            ["org.opencontainers.image.revision"] = request.Provenance.Revision,
            ["org.opencontainers.image.version"] = request.Provenance.Version,
        };
        if (PortableBaseName(request.Base.Reference) is { } baseName)
            labels["org.opencontainers.image.base.name"] = baseName;
        if (request.Provenance.Source is { } source)
            labels["org.opencontainers.image.source"] = source;
        foreach (var (name, value) in request.Labels)
            labels[name] = value;
        return labels;
    }

    /// <summary>The base's reference as others can use it; null for a base on a loopback registry (this machine's, for this run only).</summary>
    public static string? PortableBaseName(string reference) =>
        OciReference.TryParse(reference, out var parsed, out _) && OciReference.IsLoopback(parsed.Registry) ? null : reference;

    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Items that exist only in the per-RID builds (where <c>_IsSingleRIDBuild</c> is a global property), so they never pass through the SDK's ':'/';' round trip.</summary>
    internal static string LabelsTargets(IReadOnlyDictionary<string, string> labels)
    {
        var xml = new StringBuilder();
        xml.AppendLine("<Project>");
        xml.AppendLine("  <ItemGroup Condition=\"'$(_IsSingleRIDBuild)' == 'true'\">");
        foreach (var (name, value) in labels)
            xml.AppendLine(CultureInfo.InvariantCulture, $"    <ContainerLabel Include=\"{Xml(EscapeItem(name))}\" Value=\"{Xml(EscapeItem(value))}\" />");
        xml.AppendLine("  </ItemGroup>");
        xml.AppendLine("</Project>");
        return xml.ToString();
    }

    /// <summary>Reads <c>manifests[].platform</c> of an index into <c>os/architecture</c> and digest pairs.</summary>
    public static IReadOnlyList<PlatformImage> ReadPlatforms(byte[] index)
    {
        using var document = JsonDocument.Parse(index);
        if (!document.RootElement.TryGetProperty("manifests", out var manifests))
            throw new OciRegistryException("The pushed image is a single manifest, not an index.");
        return [.. manifests.EnumerateArray()
            .Where(entry => entry.TryGetProperty("platform", out _))
            .Select(entry =>
            {
                var platform = entry.GetProperty("platform");
                return new PlatformImage($"{platform.GetProperty("os").GetString()}/{platform.GetProperty("architecture").GetString()}", entry.GetProperty("digest").GetString()!);
            })];
    }

    private static string? BaseRegistry(string reference) =>
        OciReference.TryParse(reference, out var parsed, out _) ? parsed.Registry : null;

    // MSBuild treats these characters specially in item specs and metadata; %XX is its escape.
    private static string EscapeItem(string value) => EscapeMsBuild(value, "%$@;'?*");

    private static string EscapeProperty(string value) => EscapeMsBuild(value, "%;");

    private static string EscapeMsBuild(string value, string special)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (special.Contains(c, StringComparison.Ordinal))
                escaped.Append(CultureInfo.InvariantCulture, $"%{(int)c:X2}");
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string Xml(string value) => SecurityElement.Escape(value);
}
