using System.Formats.Tar;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>
/// The OCI image archive the SDK writes for <c>ContainerArchiveOutputPath</c> (a tar of an OCI layout: <c>index.json</c>
/// and <c>blobs/sha256/*</c>), read in place: one pass over the tar headers records where each blob's bytes are, and
/// blobs are then read by digest, from several threads at once.
/// </summary>
internal sealed class SdkImageArchive : IDisposable
{
    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly Dictionary<string, (long Offset, long Length)> _entries;

    private SdkImageArchive(string path, SafeFileHandle file, Dictionary<string, (long, long)> entries)
    {
        _path = path;
        _file = file;
        _entries = entries;
    }

    public static SdkImageArchive Open(string path)
    {
        var entries = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        using (var stream = File.OpenRead(path))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    entries[entry.Name.TrimStart('.', '/')] = (entry.DataOffset, entry.Length);
            }
        }

        return new SdkImageArchive(path, File.OpenHandle(path), entries);
    }

    /// <summary>The image index: <c>index.json</c>'s one entry when that is itself an index (as the SDK writes it), else <c>index.json</c>.</summary>
    public (JsonObject Index, string MediaType) ReadIndex()
    {
        var layout = JsonNode.Parse(Read("index.json"))!.AsObject();
        if (layout["manifests"] is JsonArray { Count: 1 } entries
            && entries[0]!["mediaType"]?.GetValue<string>() is OciMediaTypes.ImageIndex or OciMediaTypes.DockerManifestList
            && entries[0]!["digest"]?.GetValue<string>() is { } digest)
            return (JsonNode.Parse(ReadBlob(digest))!.AsObject(), entries[0]!["mediaType"]!.GetValue<string>());
        return (layout, layout["mediaType"]?.GetValue<string>() ?? OciMediaTypes.ImageIndex);
    }

    /// <summary>A blob's bytes, checked against its digest.</summary>
    public byte[] ReadBlob(string digest)
    {
        var content = Read($"blobs/{digest.Replace(':', '/')}");
        if (OciRegistryClient.Sha256Digest(content) != digest)
            throw new InvalidDataException($"The SDK's archive {_path} holds {digest} with other content.");
        return content;
    }

    public void Dispose() => _file.Dispose();

    private byte[] Read(string name)
    {
        if (!_entries.TryGetValue(name, out var entry))
            throw new InvalidDataException($"The SDK's archive {_path} has no '{name}'.");
        var content = new byte[entry.Length];
        var read = 0;
        while (read < content.Length)
        {
            var count = RandomAccess.Read(_file, content.AsSpan(read), entry.Offset + read);
            if (count == 0)
                throw new InvalidDataException($"The SDK's archive {_path} ends inside '{name}'.");
            read += count;
        }

        return content;
    }
}
