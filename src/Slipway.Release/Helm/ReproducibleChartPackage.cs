using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Slipway.Processes;
using YamlDotNet.RepresentationModel;

namespace Slipway.Release.Helm;

/// <summary>A chart archive: where it is, the chart it holds, and the sha256 of the .tgz's bytes.</summary>
public sealed record ChartPackage(string Path, string ChartName, string ChartVersion, string Digest);

public sealed class ChartPackageException(string message) : Exception(message);

/// <summary>
/// Byte-identical chart archives for the same content. <c>helm package</c> applies <c>.helmignore</c> and lays the chart
/// out under <c>&lt;name&gt;/</c>, but stamps the wall clock on every entry; this repacks its archive with entries sorted
/// by path, one fixed mtime (the commit time), uid/gid 0 without user or group names, modes 0644/0755, and a gzip header
/// with no timestamp and no file name. The .tgz file's own mtime is set to the same time, because newer helm pushes it
/// as the <c>org.opencontainers.image.created</c> annotation.
/// </summary>
public static class ReproducibleChartPackage
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The largest mtime a ustar header holds (11 octal digits of seconds).</summary>
    private static readonly DateTimeOffset LatestTimestamp = DateTimeOffset.FromUnixTimeSeconds(Convert.ToInt64("77777777777", 8));

    /// <summary>Runs <c>helm package</c> on <paramref name="chartDirectory"/> and repacks the result into <paramref name="destinationDirectory"/> under helm's file name.</summary>
    public static async Task<ChartPackage> PackageAsync(
        IProcessRunner runner, string helmExecutable, string chartDirectory, string destinationDirectory, DateTimeOffset timestamp,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        CheckTimestamp(timestamp);
        Directory.CreateDirectory(destinationDirectory);
        var scratch = Directory.CreateDirectory(Path.Combine(destinationDirectory, $".helm-package-{Guid.NewGuid():N}"));
        try
        {
            await runner.RunAsync(
                new ToolCommand(helmExecutable, "package", Path.GetFullPath(chartDirectory), "--destination", scratch.FullName) { Timeout = TimeSpan.FromMinutes(2) },
                cancellationToken);
            var archives = scratch.GetFiles("*.tgz");
            if (archives.Length != 1)
                throw new ChartPackageException($"helm package left {archives.Length} .tgz files in '{scratch.FullName}', expected one.");
            return Repack(archives[0].FullName, Path.Combine(destinationDirectory, archives[0].Name), timestamp);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Rewrites a chart .tgz deterministically; <paramref name="destinationArchive"/> may be the source itself.</summary>
    public static ChartPackage Repack(string sourceArchive, string destinationArchive, DateTimeOffset timestamp)
    {
        CheckTimestamp(timestamp);
        var mtime = DateTimeOffset.FromUnixTimeSeconds(timestamp.ToUnixTimeSeconds());
        var entries = Read(sourceArchive);
        var root = ChartRoot(entries, sourceArchive);
        var (name, version) = ChartIdentity(entries, root, sourceArchive);

        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var entry in entries.OrderBy(entry => entry.Name, StringComparer.Ordinal))
            {
                var written = new UstarTarEntry(entry.IsDirectory ? TarEntryType.Directory : TarEntryType.RegularFile, entry.Name)
                {
                    ModificationTime = mtime,
                    Mode = entry.IsDirectory ? DirectoryMode : FileMode,
                    Uid = 0,
                    Gid = 0,
                    UserName = string.Empty,
                    GroupName = string.Empty,
                };
                if (!entry.IsDirectory)
                    written.DataStream = new MemoryStream(entry.Content, writable: false);
                try
                {
                    writer.WriteEntry(written);
                }
                catch (ArgumentException exception)
                {
                    throw new ChartPackageException($"'{entry.Name}' in '{sourceArchive}' cannot be written to a ustar archive (path too long?): {exception.Message}");
                }
            }
        }

        var bytes = Gzip(tar.ToArray());
        var destination = Path.GetFullPath(destinationArchive);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = destination + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, destination, overwrite: true);
        File.SetLastWriteTimeUtc(destination, mtime.UtcDateTime);
        return new ChartPackage(destination, name, version, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of a file's bytes.</summary>
    public static string ComputeDigest(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Gzip with a fixed header: .NET's GZipStream writes no file name and a zero mtime; the OS byte, which depends on
    /// how zlib was built, is set to 255 ("unknown", as Go's gzip writes it) so the bytes do not depend on the platform.
    /// </summary>
    internal static byte[] Gzip(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(data);
        var bytes = compressed.ToArray();
        if (bytes.Length < 10 || bytes[0] != 0x1f || bytes[1] != 0x8b || bytes[3] != 0)
            throw new ChartPackageException("GZipStream wrote an unexpected gzip header (optional fields set); cannot guarantee a reproducible archive.");
        // The header is not covered by the gzip CRC (which is over the uncompressed data), so these bytes can be fixed in place.
        bytes[4] = bytes[5] = bytes[6] = bytes[7] = 0;
        bytes[9] = 0xff;
        return bytes;
    }

    private static void CheckTimestamp(DateTimeOffset timestamp)
    {
        if (timestamp < DateTimeOffset.UnixEpoch || timestamp > LatestTimestamp)
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "The archive timestamp must lie between 1970 and what a ustar header can hold.");
    }

    private sealed record Entry(string Name, bool IsDirectory, byte[] Content);

    private static List<Entry> Read(string archive)
    {
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                    continue;
                var isDirectory = entry.EntryType is TarEntryType.Directory;
                if (!isDirectory && entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    throw new ChartPackageException($"'{entry.Name}' in '{archive}' is a {entry.EntryType} entry; a chart archive holds regular files and directories only.");
                var name = Normalise(entry.Name, archive);
                if (name.Length == 0)
                    continue;
                if (isDirectory)
                    name += "/";
                if (!names.Add(name))
                    throw new ChartPackageException($"'{name}' appears twice in '{archive}'.");
                var content = Array.Empty<byte>();
                if (!isDirectory && entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    content = copy.ToArray();
                }

                entries.Add(new Entry(name, isDirectory, content));
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ChartPackageException($"'{archive}' is not a gzipped tar archive: {exception.Message}");
        }

        return entries;
    }

    private static string Normalise(string name, string archive)
    {
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".").ToArray();
        if (name.StartsWith('/') || parts.Contains(".."))
            throw new ChartPackageException($"'{name}' in '{archive}' escapes the archive root.");
        return string.Join('/', parts);
    }

    private static string ChartRoot(List<Entry> entries, string archive)
    {
        var roots = entries.Select(entry => entry.Name.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (roots.Count != 1 || entries.Any(entry => !entry.IsDirectory && !entry.Name.Contains('/')))
            throw new ChartPackageException($"'{archive}' does not hold exactly one chart folder (found: {string.Join(", ", roots)}); helm lays a chart out under <name>/.");
        return roots[0];
    }

    private static (string Name, string Version) ChartIdentity(List<Entry> entries, string root, string archive)
    {
        var chartYaml = entries.FirstOrDefault(entry => entry.Name == root + "/Chart.yaml")
            ?? throw new ChartPackageException($"'{archive}' has no {root}/Chart.yaml.");
        var stream = new YamlStream();
        stream.Load(new StringReader(System.Text.Encoding.UTF8.GetString(chartYaml.Content)));
        var mapping = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new ChartPackageException($"{root}/Chart.yaml in '{archive}' is not a YAML mapping.");
        string? Scalar(string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;
        var name = Scalar("name");
        if (name != root)
            throw new ChartPackageException($"{root}/Chart.yaml in '{archive}' names the chart '{name}', not '{root}'.");
        return (name, Scalar("version") ?? throw new ChartPackageException($"{root}/Chart.yaml in '{archive}' has no version."));
    }
}
