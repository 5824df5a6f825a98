using System.Collections.Concurrent;
using Slipway.Logging;
using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>
/// Finds each pinned tool once per build, on first use: the one the user named, else a supported one on PATH, else the
/// pinned version from the tool cache, else the pinned version provisioned from the first of its sources that works here.
/// Says which it used and where it came from.
/// </summary>
public sealed class ToolResolver(IProcessRunner runner, IBuildLog log, ToolCache cache, string? searchPath)
{
    /// <summary>Written next to a provisioned tool: the source it came from, so a later run says the same.</summary>
    private const string SourceRecord = ".slipway-source";

    private readonly ConcurrentDictionary<(string Name, Version Version, ToolRequest? Request), Resolution> _resolutions = new();

    public async Task<ResolvedTool> ResolveAsync(PinnedTool tool, ToolRequest? request = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var resolution = _resolutions.GetOrAdd((tool.Name, tool.Version, request), _ => new Resolution());
        await resolution.Gate.WaitAsync(cancellationToken);
        try
        {
            if (resolution.Tool is null)
            {
                resolution.Tool = request is null ? await FindOrProvisionAsync(tool, cancellationToken) : await RequestedAsync(tool, request, cancellationToken);
                log.Info(resolution.Tool.ToString());
            }

            return resolution.Tool;
        }
        finally
        {
            resolution.Gate.Release();
        }
    }

    private async Task<ResolvedTool> RequestedAsync(PinnedTool tool, ToolRequest request, CancellationToken cancellationToken)
    {
        var path = request.Value.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(request.Value) : ExecutableSearch.FindOnPath(request.Value, searchPath);
        if (path is null || !File.Exists(path))
            throw new ToolProvisioningException($"{request.Origin} names '{request.Value}', which {(path is null ? "is not on PATH" : "does not exist")}. Give the path of a {tool.Name} executable, or leave it unset to use {Default(tool)}.");
        var version = await VersionOfAsync(tool, path, cancellationToken);
        if (version is null)
            throw new ToolProvisioningException($"{request.Origin} names {path}, which does not report a {tool.Name} version. Give a {tool.Name} executable, or leave it unset to use {Default(tool)}.");
        if (version != tool.Version && tool.Supported?.Includes(version) != true)
            throw new ToolProvisioningException($"{request.Origin} names {path}, {tool.Name} v{version.ToString(3)}, which Slipway does not support ({SupportedText(tool)}). Give a supported {tool.Name}, or leave it unset to use {Default(tool)}.");
        return new ResolvedTool(tool.Name, path, version, request.Origin);
    }

    private async Task<ResolvedTool> FindOrProvisionAsync(PinnedTool tool, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var resolved = await FromPathAsync(tool, failures, cancellationToken)
            ?? await FromCacheAsync(tool, cancellationToken)
            ?? await ProvisionAsync(tool, failures, cancellationToken);
        if (resolved is not null)
            return resolved;

        var hint = string.IsNullOrEmpty(tool.InstallHint) ? string.Empty : " " + tool.InstallHint;
        throw new ToolProvisioningException($"No usable {tool.Name}: {string.Join("; ", failures)}.{hint}");
    }

    private async Task<ResolvedTool?> FromPathAsync(PinnedTool tool, List<string> failures, CancellationToken cancellationToken)
    {
        if (tool.Supported is null)
            return null;
        var onPath = ExecutableSearch.FindOnPath(tool.Name, searchPath);
        if (onPath is null)
        {
            failures.Add($"{tool.Name} is not on PATH");
            return null;
        }

        var version = await VersionOfAsync(tool, onPath, cancellationToken);
        if (version is not null && tool.Supported.Includes(version))
            return new ResolvedTool(tool.Name, onPath, version, "PATH");

        var found = version is null ? "does not report a version" : $"is v{version.ToString(3)}";
        log.Info($"{onPath} {found}; Slipway supports {tool.Name} {SupportedText(tool)}, so it uses {Default(tool)}.");
        failures.Add($"{onPath} {found}, not {SupportedText(tool)}");
        return null;
    }

    /// <summary>Checked before any network is tried, so a provisioned tool costs no download on later runs.</summary>
    private async Task<ResolvedTool?> FromCacheAsync(PinnedTool tool, CancellationToken cancellationToken)
    {
        var cached = Path.Combine(InstallDirectory(tool), tool.Executable);
        if (!File.Exists(cached) || await VersionOfAsync(tool, cached, cancellationToken) != tool.Version)
            return null;
        var record = Path.Combine(InstallDirectory(tool), SourceRecord);
        var origin = File.Exists(record) ? (await File.ReadAllTextAsync(record, cancellationToken)).Trim() : "an earlier run";
        return new ResolvedTool(tool.Name, cached, tool.Version, $"{origin}, cached");
    }

    private async Task<ResolvedTool?> ProvisionAsync(PinnedTool tool, List<string> failures, CancellationToken cancellationToken)
    {
        var applicable = tool.ApplicableSources.ToList();
        if (applicable.Count == 0)
            failures.Add($"no pinned {tool.Name} download for this platform ({PinnedTool.CurrentPlatform() ?? Environment.OSVersion.Platform.ToString()})");

        foreach (var source in applicable)
        {
            try
            {
                return await ProvisionFromAsync(tool, source, cancellationToken);
            }
            catch (ToolProvisioningException exception)
            {
                log.Info($"{tool.Name} from {source.Description} did not work: {exception.Message}");
                failures.Add(exception.Message);
            }
        }

        return null;
    }

    private async Task<ResolvedTool> ProvisionFromAsync(PinnedTool tool, ToolSource source, CancellationToken cancellationToken)
    {
        log.Info($"Provisioning {tool.Name} {tool.Version.ToString(3)} from {source.Description} into {cache.Root}");
        // The work directory sits inside the cache so the final rename stays on one file system and is atomic:
        // a concurrent or interrupted run sees either no tool or a whole, verified one.
        var work = Path.Combine(cache.Root, ".work", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var install = Path.Combine(work, "install");
            Directory.CreateDirectory(install);
            var executable = await UnpackAsync(tool, source, await source.FetchVerifiedAsync(runner, work, cancellationToken), work, install, cancellationToken);
            if (source.ExecutableSha256 is { } expected)
                await Checksums.VerifySha256Async(executable, expected, $"{tool.Name} executable from {source.Description}", cancellationToken);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

            var version = await VersionOfAsync(tool, executable, cancellationToken);
            if (version != tool.Version)
                throw new ToolProvisioningException($"{tool.Name} from {source.Description} reports version {version?.ToString(3) ?? "unknown"}, expected {tool.Version.ToString(3)}");
            await File.WriteAllTextAsync(Path.Combine(install, SourceRecord), source.Description, cancellationToken);

            var target = InstallDirectory(tool);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (await FromCacheAsync(tool, cancellationToken) is { } provisionedMeanwhile)
                return provisionedMeanwhile with { Source = source.Description };
            if (Directory.Exists(target))
                Directory.Move(target, Path.Combine(work, "rejected")); // What the cache check refused goes with the work folder.
            try
            {
                Directory.Move(install, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, tool.Executable)))
            {
                // Another build provisioned the same version first; theirs is as good as ours.
            }

            return new ResolvedTool(tool.Name, Path.Combine(target, tool.Executable), tool.Version, source.Description);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Follows the source's entry path from the fetched file down to the executable inside <paramref name="install"/>.</summary>
    private static async Task<string> UnpackAsync(PinnedTool tool, ToolSource source, string fetched, string work, string install, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(install, tool.Executable);
        Directory.CreateDirectory(Path.GetDirectoryName(executable)!);
        if (source.EntryPath.Count == 0)
        {
            File.Move(fetched, executable);
            return executable;
        }

        var current = fetched;
        for (var step = 0; step < source.EntryPath.Count; step++)
        {
            var entry = source.EntryPath[step];
            var last = step == source.EntryPath.Count - 1;
            if (last && entry.EndsWith('/'))
            {
                await ArchiveEntries.ExtractFolderAsync(current, entry, install, cancellationToken);
                return File.Exists(executable) ? executable : throw new ToolProvisioningException($"{source.Description} has no {tool.Executable} in {entry}");
            }

            var next = last ? executable : Path.Combine(work, $"step-{step}");
            await ArchiveEntries.ExtractFileAsync(current, entry, next, cancellationToken);
            current = next;
        }

        return executable;
    }

    private Task<Version?> VersionOfAsync(PinnedTool tool, string executable, CancellationToken cancellationToken) =>
        runner.DetectVersionAsync(tool.VersionCommand(executable), tool.VersionPattern, cancellationToken);

    private string InstallDirectory(PinnedTool tool) => cache.PathFor(tool.Name, tool.Version.ToString(3));

    private static string SupportedText(PinnedTool tool) => tool.Supported?.ToString() ?? $"only v{tool.Version.ToString(3)}";

    private static string Default(PinnedTool tool) => $"the pinned {tool.Name} v{tool.Version.ToString(3)}";

    private sealed class Resolution
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ResolvedTool? Tool { get; set; }
    }
}
