using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Release.Oci;

namespace Slipway.Release.PrSmoke;

/// <summary>Where an image's blobs come from: a registry in the lane, anything that serves manifests and blobs by digest in tests.</summary>
public interface IImageSource
{
    /// <summary>The manifest (image index or image manifest) by digest: its bytes and media type.</summary>
    Task<(byte[] Content, string MediaType)> ManifestAsync(string digest, CancellationToken cancellationToken);

    Task<byte[]> BlobAsync(string digest, CancellationToken cancellationToken);
}

/// <summary>An image of a registry repository, read through the OCI client.</summary>
public sealed class RegistryImageSource(OciRegistryClient client, OciReference repository, RegistryCredentials? credentials) : IImageSource
{
    public async Task<(byte[] Content, string MediaType)> ManifestAsync(string digest, CancellationToken cancellationToken) =>
        await client.ResolveManifestAsync(OciReference.Parse($"{repository.Registry}/{repository.Repository}@{digest}"), credentials, cancellationToken) switch
        {
            ManifestResolution.Found found => (found.Content, found.MediaType),
            ManifestResolution.NotFound missing => throw new OciRegistryException(missing.Message),
            ManifestResolution.Unauthorized denied => throw new OciRegistryException(denied.Message),
            _ => throw new OciRegistryException($"{repository}@{digest}: unexpected answer"),
        };

    public Task<byte[]> BlobAsync(string digest, CancellationToken cancellationToken) =>
        client.GetBlobAsync(repository.Registry, repository.Repository, digest, credentials, cancellationToken);
}

/// <summary>An archive written for <c>kind load image-archive</c>: which names it gives the image, and its digest.</summary>
public sealed record ArchivedImage(string Path, string Digest, IReadOnlyList<string> Names, long Bytes);

/// <summary>
/// Writes an image as an OCI image layout tarball (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/...</c>), the
/// format containerd's import (which <c>kind load image-archive</c> runs on every node) prefers. The top-level index lists
/// the image once per name, each with <c>io.containerd.image.name</c>: containerd stores an image under exactly that name
/// pointing at exactly that digest, the way a pull through the CRI would have named it, so a pod whose image is
/// <c>repository@digest</c> finds it locally. Blobs are fetched by digest and checked against it; the tar is reproducible
/// (sorted entries, fixed mtimes).
/// </summary>
public static class OciImageArchive
{
    private const string ImageNameAnnotation = "io.containerd.image.name";
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private static readonly DateTimeOffset EntryTime = DateTimeOffset.UnixEpoch;

    /// <param name="digest">The image (index or manifest) to archive.</param>
    /// <param name="names">Full references, e.g. <c>registry/app@sha256:...</c> and <c>registry/app:pr-7-abc1234</c>.</param>
    public static async Task<ArchivedImage> WriteAsync(IImageSource source, string digest, IReadOnlyList<string> names, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(names);
        var blobs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var (top, mediaType) = await CollectAsync(source, digest, blobs, cancellationToken);

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = new JsonArray([.. names.Select(name => (JsonNode)new JsonObject
            {
                ["mediaType"] = mediaType,
                ["digest"] = digest,
                ["size"] = top.Length,
                ["annotations"] = new JsonObject
                {
                    [ImageNameAnnotation] = name,
                    [RefNameAnnotation] = OciReference.Parse(name).Tag ?? digest,
                },
            })]),
        };

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        await using (var file = File.Create(path))
        await using (var tar = new TarWriter(file, TarEntryFormat.Ustar, leaveOpen: false))
        {
            await AddAsync(tar, "oci-layout", Encoding.UTF8.GetBytes("""{"imageLayoutVersion":"1.0.0"}"""), cancellationToken);
            await AddAsync(tar, "index.json", Encoding.UTF8.GetBytes(index.ToJsonString()), cancellationToken);
            foreach (var (blobDigest, content) in blobs)
                await AddAsync(tar, $"blobs/sha256/{blobDigest["sha256:".Length..]}", content, cancellationToken);
        }

        return new ArchivedImage(path, digest, names, new FileInfo(path).Length);
    }

    /// <summary>The names the archive gives the image, as containerd will store them.</summary>
    public static async Task<IReadOnlyList<(string Name, string Digest)>> NamesAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var tar = new TarReader(file);
        while (await tar.GetNextEntryAsync(copyData: true, cancellationToken) is { } entry)
        {
            if (entry.Name != "index.json" || entry.DataStream is null)
                continue;
            using var document = await JsonDocument.ParseAsync(entry.DataStream, cancellationToken: cancellationToken);
            return [.. document.RootElement.GetProperty("manifests").EnumerateArray()
                .Select(manifest => (manifest.GetProperty("annotations").GetProperty(ImageNameAnnotation).GetString()!, manifest.GetProperty("digest").GetString()!))];
        }

        throw new InvalidDataException($"{path} has no index.json: it is not an OCI image layout archive.");
    }

    /// <summary>The manifest and, below it, every manifest, config and layer it references, each checked against its digest.</summary>
    private static async Task<(byte[] Content, string MediaType)> CollectAsync(IImageSource source, string digest, SortedDictionary<string, byte[]> blobs, CancellationToken cancellationToken)
    {
        var (content, mediaType) = await source.ManifestAsync(digest, cancellationToken);
        Add(blobs, digest, content);
        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        if (root.TryGetProperty("manifests", out var manifests))
        {
            foreach (var child in manifests.EnumerateArray())
                await CollectAsync(source, child.GetProperty("digest").GetString()!, blobs, cancellationToken);
        }
        else
        {
            var referenced = root.GetProperty("layers").EnumerateArray().Append(root.GetProperty("config"));
            foreach (var descriptor in referenced)
            {
                var blob = descriptor.GetProperty("digest").GetString()!;
                if (!blobs.ContainsKey(blob))
                    Add(blobs, blob, await source.BlobAsync(blob, cancellationToken));
            }
        }

        return (content, string.IsNullOrEmpty(mediaType) ? root.GetProperty("mediaType").GetString()! : mediaType);
    }

    private static void Add(SortedDictionary<string, byte[]> blobs, string digest, byte[] content)
    {
        var actual = OciRegistryClient.Sha256Digest(content);
        if (actual != digest)
            throw new InvalidDataException($"The registry served {actual} for {digest}: refusing to archive content that does not match its digest.");
        blobs[digest] = content;
    }

    private static async Task AddAsync(TarWriter tar, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content, writable: false),
            ModificationTime = EntryTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await tar.WriteEntryAsync(entry, cancellationToken);
    }
}
