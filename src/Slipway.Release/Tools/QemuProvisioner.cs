using Slipway.Logging;
using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>A qemu user-mode emulator for one architecture, or why there is none.</summary>
public abstract record QemuResolution
{
    public sealed record Found(string Path, string Source) : QemuResolution;

    public sealed record Unavailable(string Reason) : QemuResolution;
}

/// <summary>
/// Finds <c>qemu-&lt;arch&gt;-static</c> (or <c>qemu-&lt;arch&gt;</c>) on PATH, else in the tool cache, else fetches Debian's
/// <c>qemu-user-static</c> package with a private apt state and unpacks it into the tool cache at
/// <c>qemu-user-static/&lt;debian version&gt;</c> (no system install).
/// </summary>
public sealed class QemuProvisioner(IProcessRunner runner, ToolCache cache, IBuildLog log, IEnumerable<string>? searchPath = null)
{
    public const string DebianPackage = "qemu-user-static";
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly IEnumerable<string> _searchPath =
        searchPath ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    private string PackageRoot => Path.Combine(cache.Root, DebianPackage);

    /// <summary>qemu's name for an OCI (GOARCH) architecture, or null when qemu has no user-mode emulator for it.</summary>
    public static string? QemuArchitecture(string ociArchitecture) => ociArchitecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "arm" => "arm",
        "386" => "i386",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        "mips64le" => "mips64el",
        "loong64" => "loongarch64",
        _ => null,
    };

    public async Task<QemuResolution> ResolveAsync(string ociArchitecture, CancellationToken cancellationToken = default)
    {
        if (QemuArchitecture(ociArchitecture) is not { } arch)
            return new QemuResolution.Unavailable($"qemu has no user-mode emulator for architecture '{ociArchitecture}'");
        string[] names = [$"qemu-{arch}-static", $"qemu-{arch}"];

        var onPath = _searchPath.SelectMany(directory => names.Select(name => Path.Combine(directory, name))).FirstOrDefault(File.Exists);
        if (onPath is not null)
            return new QemuResolution.Found(onPath, "PATH");

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Cached(names[0]) is { } cached)
                return new QemuResolution.Found(cached, "tool cache");

            string version;
            try
            {
                version = await DownloadAsync(cancellationToken);
            }
            catch (ToolFailedException exception)
            {
                return new QemuResolution.Unavailable(
                    $"no {names[0]} on PATH or in {PackageRoot}, and fetching Debian's '{DebianPackage}' failed: {exception.Message}");
            }

            var binary = Path.Combine(cache.PathFor(DebianPackage, version), "usr", "bin", names[0]);
            return File.Exists(binary)
                ? new QemuResolution.Found(binary, $"Debian {DebianPackage} {version}")
                : new QemuResolution.Unavailable($"Debian's '{DebianPackage}' {version} has no {names[0]}");
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Cached(string name) =>
        Directory.Exists(PackageRoot)
            ? Directory.EnumerateDirectories(PackageRoot)
                .Where(directory => !Path.GetFileName(directory).StartsWith('.'))
                .OrderDescending(StringComparer.Ordinal)
                .Select(directory => Path.Combine(directory, "usr", "bin", name))
                .FirstOrDefault(File.Exists)
            : null;

    private async Task<string> DownloadAsync(CancellationToken cancellationToken)
    {
        log.Info($"Fetching Debian's '{DebianPackage}' package into {PackageRoot} (no system install).");
        Directory.CreateDirectory(PackageRoot);
        // Unpacked next to the final folder, so the last step is an atomic rename on the same file system.
        var staging = Path.Combine(PackageRoot, $".staging-{Guid.NewGuid():N}");
        try
        {
            var versions = await DebianPackages.ExtractAsync(runner, [DebianPackage], staging, staging + ".apt", cancellationToken: cancellationToken);
            var version = versions.GetValueOrDefault(DebianPackage, "unknown").Replace(':', '_');
            var target = cache.PathFor(DebianPackage, version);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another build unpacked the same version first; theirs is as good as ours.
            }

            log.Info($"Cached {DebianPackage} {version} at {target}.");
            return version;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }
}
