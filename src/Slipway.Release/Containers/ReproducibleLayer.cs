using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Slipway.Release.Containers;

/// <summary>One gzip-compressed layer blob and the sha256 of its uncompressed tar (the config's <c>diff_id</c>).</summary>
public sealed record LayerBlob(byte[] Compressed, string DiffId)
{
    public string Digest { get; } = Oci.OciRegistryClient.Sha256Digest(Compressed);
}

/// <summary>
/// Packs a folder into an OCI layer that depends only on the folder's names, contents, modes and link targets: entries
/// sorted by path (ordinal), every mtime the given timestamp, owner 0:0 unless an override says otherwise, ustar headers
/// (no atime/ctime, no user names), and a gzip stream without a file name or timestamp.
/// </summary>
public static class ReproducibleLayer
{
    /// <param name="owners">Relative paths (<c>home/app</c>) whose entry gets another numeric owner.</param>
    public static LayerBlob Create(string root, DateTimeOffset timestamp, IReadOnlyDictionary<string, (int Uid, int Gid)>? owners = null)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Layers are packed from a Unix file system (modes and links).");
        var mtime = DateTimeOffset.FromUnixTimeSeconds(timestamp.ToUnixTimeSeconds());
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var path in Entries(root))
            {
                var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                var info = new FileInfo(path);
                var isLink = info.LinkTarget is not null;
                var isDirectory = !isLink && Directory.Exists(path);
                var entry = new UstarTarEntry(
                    isLink ? TarEntryType.SymbolicLink : isDirectory ? TarEntryType.Directory : TarEntryType.RegularFile,
                    isDirectory ? relative + "/" : relative)
                {
                    ModificationTime = mtime,
                    Mode = isLink ? (UnixFileMode)0b111_111_111 : File.GetUnixFileMode(path),
                    Uid = 0,
                    Gid = 0,
                };
                if (owners is not null && owners.TryGetValue(relative, out var owner))
                    (entry.Uid, entry.Gid) = owner;
                if (isLink)
                {
                    entry.LinkName = info.LinkTarget!;
                    writer.WriteEntry(entry);
                }
                else if (isDirectory)
                {
                    writer.WriteEntry(entry);
                }
                else
                {
                    using var content = File.OpenRead(path);
                    entry.DataStream = content;
                    writer.WriteEntry(entry);
                }
            }
        }

        return Compress(tar.ToArray());
    }

    /// <summary>Gzips a tar and hashes the uncompressed bytes for the config's <c>diff_ids</c>.</summary>
    public static LayerBlob Compress(byte[] uncompressed)
    {
        using var compressed = new MemoryStream();
        // GZipStream writes no file name and a zero MTIME: the bytes depend on the input and the runtime's zlib only.
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(uncompressed);
        return new LayerBlob(compressed.ToArray(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(uncompressed)));
    }

    /// <summary>Every file, link and folder under <paramref name="root"/> (not following links), parents first, ordinal by path.</summary>
    private static IEnumerable<string> Entries(string root)
    {
        var all = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                all.Add(child);
                if (new FileInfo(child).LinkTarget is null && Directory.Exists(child))
                    pending.Push(child);
            }
        }

        return all
            .Select(path => (Path: path, Key: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => entry.Path);
    }
}
