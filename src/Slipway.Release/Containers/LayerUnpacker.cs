using System.Formats.Tar;
using System.IO.Compression;

namespace Slipway.Release.Containers;

/// <summary>
/// Applies image layers (tar, optionally gzip) onto a root folder in order, the way a container runtime does: whiteouts
/// (<c>.wh.name</c> deletes, <c>.wh..wh..opq</c> empties a folder) remove what lower layers put there; a later entry
/// replaces an earlier one. Every path is resolved inside the root, following symbolic links already in it as the
/// container would see them (an absolute target is taken relative to the root), so no entry can write outside it.
/// A name with <c>..</c> that climbs out of the root is refused. Links are kept as they are written, also absolute ones.
/// Modes are applied; owners are not (files belong to the user unpacking, readable by the user the image runs as).
/// </summary>
public static class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private const int MaxLinkHops = 40;

    /// <summary>Applies one layer.</summary>
    /// <param name="mediaType">The layer's media type; gzip is detected from its bytes when the type does not say.</param>
    /// <exception cref="InvalidDataException">A path escapes the root, or the layer is compressed in a way not supported (zstd).</exception>
    public static void Apply(string root, Stream layer, string? mediaType = null)
    {
        if (mediaType?.EndsWith("+zstd", StringComparison.Ordinal) == true)
            throw new InvalidDataException($"Layer media type {mediaType} (zstd) is not supported; only tar and tar+gzip layers can be unpacked.");
        using var buffered = new BufferedStream(layer);
        var gzip = IsGzip(buffered);
        using var content = gzip ? new GZipStream(buffered, CompressionMode.Decompress, leaveOpen: true) : (Stream)buffered;
        using var reader = new TarReader(content, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
            ApplyEntry(root, entry);
    }

    private static bool IsGzip(BufferedStream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = stream.Read(magic);
        stream.Seek(-read, SeekOrigin.Current);
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static void ApplyEntry(string root, TarEntry entry)
    {
        var parts = Components(entry.Name);
        if (parts.Count == 0)
            return; // "./": the root itself.
        var name = parts[^1];
        // Every folder on the way is followed (a link there is how the container would see it); the entry itself is not.
        var parent = ResolveInside(root, parts.Take(parts.Count - 1), entry.Name, followLast: true);

        if (name == OpaqueWhiteout)
        {
            if (Directory.Exists(parent))
            {
                foreach (var child in new DirectoryInfo(parent).EnumerateFileSystemInfos())
                    Delete(child.FullName);
            }

            return;
        }

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            Delete(Path.Combine(parent, name[WhiteoutPrefix.Length..]));
            return;
        }

        Directory.CreateDirectory(parent);
        var target = Path.Combine(parent, name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!Directory.Exists(target) || IsLink(target))
                {
                    Delete(target);
                    Directory.CreateDirectory(target);
                }

                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Delete(target);
                using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    entry.DataStream?.CopyTo(file);
                break;
            case TarEntryType.SymbolicLink:
                Delete(target);
                File.CreateSymbolicLink(target, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                var linked = ResolveInside(root, Components(entry.LinkName), entry.LinkName, followLast: true);
                if (!File.Exists(linked))
                    throw new InvalidDataException($"Layer entry '{entry.Name}' is a hard link to '{entry.LinkName}', which no earlier entry created.");
                Delete(target);
                File.Copy(linked, target);
                break;
            default:
                return; // Devices and FIFOs: a runtime provides its own /dev; nothing here needs them.
        }

        if (entry.EntryType != TarEntryType.SymbolicLink && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(target, entry.Mode);
    }

    /// <summary>The name's components, with <c>.</c> and empty ones dropped; a <c>..</c> that would climb above the root is refused.</summary>
    private static List<string> Components(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw new InvalidDataException($"Layer entry '{name}' points outside the image root; refused.");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts;
    }

    /// <summary>
    /// Walks <paramref name="parts"/> from the root, following symbolic links found on the way as the container would
    /// (absolute targets from the root, <c>..</c> never above it): the result is always inside the root.
    /// </summary>
    internal static string ResolveInside(string root, IEnumerable<string> parts, string entryName, bool followLast = false)
    {
        var pending = new Stack<string>(parts.Reverse());
        var resolved = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            if (part == ".")
                continue;
            var candidate = Path.Combine([root, .. resolved, part]);
            var follow = pending.Count > 0 || followLast;
            if (follow && IsLink(candidate))
            {
                if (++hops > MaxLinkHops)
                    throw new InvalidDataException($"Layer entry '{entryName}' resolves through more than {MaxLinkHops} symbolic links; refused.");
                var linkTarget = new FileInfo(candidate).LinkTarget ?? string.Empty;
                if (linkTarget.StartsWith('/'))
                    resolved.Clear();
                foreach (var next in linkTarget.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    pending.Push(next);
                continue;
            }

            resolved.Add(part);
        }

        return Path.Combine([root, .. resolved]);
    }

    private static bool IsLink(string path) => new FileInfo(path) is { Exists: true, LinkTarget: not null } || new DirectoryInfo(path).LinkTarget is not null;

    private static void Delete(string path)
    {
        if (IsLink(path) || File.Exists(path))
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
