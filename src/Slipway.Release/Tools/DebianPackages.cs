using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>
/// Fetches Debian packages into a folder without installing them: <c>apt-get download</c> with a private apt state (the
/// system's lists, cache and architecture settings are not touched) and <c>dpkg -x</c>. Maintainer scripts do not run.
/// </summary>
public static class DebianPackages
{
    private static readonly TimeSpan AptTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Downloads <paramref name="packages"/> and unpacks each into <paramref name="destination"/>; returns name → Debian version.</summary>
    /// <param name="workDirectory">A folder that does not exist yet, for the private apt state and the downloads (next to the destination, e.g.); removed at the end.</param>
    /// <param name="architecture">A Debian architecture (amd64, arm64, ...); null for the machine's own.</param>
    /// <exception cref="ToolFailedException">apt-get or dpkg failed (no network, unknown package).</exception>
    public static async Task<IReadOnlyDictionary<string, string>> ExtractAsync(
        IProcessRunner runner, IReadOnlyList<string> packages, string destination, string workDirectory, string? architecture = null, CancellationToken cancellationToken = default)
    {
        var work = Directory.CreateDirectory(workDirectory);
        try
        {
            var debs = Path.Combine(work.FullName, "debs");
            await DownloadAsync(runner, packages, debs, Path.Combine(work.FullName, "apt"), architecture, cancellationToken);

            Directory.CreateDirectory(destination);
            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var deb in Directory.EnumerateFiles(debs, "*.deb").Order(StringComparer.Ordinal))
            {
                var fields = (await RunAsync(runner, new ToolCommand("dpkg-deb", "-f", deb, "Package", "Version"), cancellationToken)).StandardOutput;
                var values = fields.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(line => line.Split(':', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1].Trim(), StringComparer.Ordinal);
                await RunAsync(runner, new ToolCommand("dpkg", "-x", deb, destination), cancellationToken);
                versions[values.GetValueOrDefault("Package", Path.GetFileName(deb))] = values.GetValueOrDefault("Version", "unknown");
            }

            return versions;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Downloads the <c>.deb</c> of each package into <paramref name="debsDirectory"/>, with apt's lists and cache in <paramref name="aptStateDirectory"/>.</summary>
    /// <param name="architecture">A Debian architecture (amd64, arm64, ...); null for the machine's own.</param>
    public static async Task DownloadAsync(
        IProcessRunner runner, IReadOnlyList<string> packages, string debsDirectory, string aptStateDirectory, string? architecture = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(debsDirectory);
        Directory.CreateDirectory(Path.Combine(aptStateDirectory, "lists", "partial"));
        Directory.CreateDirectory(Path.Combine(aptStateDirectory, "cache", "archives", "partial"));
        List<string> options =
        [
            "-o", $"Dir::State::Lists={Path.Combine(aptStateDirectory, "lists")}",
            "-o", $"Dir::Cache={Path.Combine(aptStateDirectory, "cache")}",
            // apt's download sandbox user cannot write into a root-owned private folder; this only silences that warning.
            "-o", "APT::Sandbox::User=root",
            "-q",
        ];
        if (architecture is not null)
            options.InsertRange(0, ["-o", $"APT::Architecture={architecture}", "-o", $"APT::Architectures::={architecture}"]);

        await RunAsync(runner, new ToolCommand("apt-get", [.. options, "update"]) { WorkingDirectory = debsDirectory, Timeout = AptTimeout }, cancellationToken);
        await RunAsync(runner, new ToolCommand("apt-get", [.. options, "download", .. packages]) { WorkingDirectory = debsDirectory, Timeout = AptTimeout }, cancellationToken);
    }

    private static Task<ToolResult> RunAsync(IProcessRunner runner, ToolCommand command, CancellationToken cancellationToken) =>
        runner.RunAsync(command with { StreamOutput = false }, cancellationToken);
}
