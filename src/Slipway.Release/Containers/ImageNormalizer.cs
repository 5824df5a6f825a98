using System.Buffers.Binary;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Logging;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>What <see cref="ImageNormalizer"/> pushed.</summary>
/// <param name="BlobsUploaded">Blobs sent; the others the registry already held in the repository or linked from <c>mountFrom</c>.</param>
public sealed record NormalizedImage(string IndexDigest, IReadOnlyList<PlatformImage> Platforms, int BlobsUploaded, int BlobsMounted, int BlobsPresent, string AppLayers);

/// <summary>
/// Pins what the .NET SDK's container tooling takes from the clock and pushes the image once. The SDK (10.0.4xx) has no
/// switch for any of it: it writes the wall clock into each config's <c>created</c> and its history entry, and packs the
/// app layer in file-system order with the time of packing as every entry's mtime. So the SDK writes its image to a local
/// archive (<see cref="SdkImageArchive"/>, nothing pushed), and for each platform, in parallel, this rewrites the app layer
/// (the last one: the SDK adds exactly one) with sorted entries and every mtime set to <c>created</c>, keeping names,
/// contents, modes, owners and links (deflated per entry through a <see cref="LayerChunkCache"/>, so unchanged files are
/// not compressed again); sets the config's and the SDK history entry's <c>created</c>; and pushes each blob the registry
/// lacks (base layers linked from their own repository when the registry can), the manifests and the index, with the given
/// annotations, all by digest: no version is tagged here, the release sets those last (<see cref="BuiltImage.Tags"/>); a
/// clean build's index is also tagged with its inputs' hash (<see cref="ImageReuse.InputsTag"/>), so a rerun can reuse it.
/// </summary>
public sealed class ImageNormalizer(OciRegistryClient registry, IBuildLog log)
{
    internal async Task<NormalizedImage> PublishAsync(
        SdkImageArchive archive, OciReference tag, DateTimeOffset created, IReadOnlyDictionary<string, string> annotations, string? mountFrom,
        LayerChunkCache chunks, RegistryCredentials? credentials = null, OciReference? inputsTag = null, CancellationToken cancellationToken = default)
    {
        var (index, mediaType) = archive.ReadIndex();
        if (index["manifests"] is not JsonArray entries)
            throw new OciRegistryException($"The SDK's image for {tag} is not an index ({mediaType}).");

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(created.ToUnixTimeSeconds());
        var push = new BlobPush(registry, tag, mountFrom, credentials);
        var platforms = await Task.WhenAll(entries.OfType<JsonObject>().Select(entry =>
            Task.Run(() => PublishPlatformAsync(archive, entry, timestamp, chunks, push, cancellationToken), cancellationToken)));

        if (annotations.Count > 0)
        {
            var merged = index["annotations"] as JsonObject ?? [];
            foreach (var (name, value) in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                merged[name] = value;
            index["annotations"] = merged;
        }

        var indexBytes = JsonSerializer.SerializeToUtf8Bytes(index);
        var indexDigest = await registry.PushManifestAsync(ByDigest(tag, indexBytes), indexBytes, mediaType, credentials, cancellationToken);
        if (inputsTag is not null)
            await registry.PushManifestAsync(inputsTag, indexBytes, mediaType, credentials, cancellationToken);
        return new NormalizedImage(
            indexDigest, [.. platforms.Select(platform => platform.Image)], push.Uploaded, push.Mounted, push.Present,
            string.Join(", ", platforms.Select(platform => $"{platform.Image.Platform} {platform.AppLayer}")));
    }

    /// <summary>The same entries, sorted by name, with one mtime and ustar headers; owners, modes, contents and links kept.</summary>
    internal static LayerBlob Repack(byte[] gzippedTar, DateTimeOffset mtime, LayerChunkCache chunks)
    {
        // Inflated in one go into a buffer of the size the gzip trailer states, then read in place: a TarReader over the
        // GZipStream itself inflates in 512-byte steps, which costs more than the whole inflation.
        var tar = Inflate(gzippedTar);
        var entries = new List<(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string LinkName, long Offset, long Length)>();
        using (var reader = new TarReader(new MemoryStream(tar, writable: false)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.SymbolicLink or TarEntryType.HardLink))
                    throw new InvalidDataException($"The SDK's app layer holds '{entry.Name}' of type {entry.EntryType}, which the normaliser does not repack.");
                var type = entry.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType;
                entries.Add((entry.Name, type, entry.Mode, entry.Uid, entry.Gid, entry.LinkName, entry.DataOffset, entry.DataStream is null ? -1 : entry.Length));
            }
        }

        // Each tar entry (header, data, padding) becomes one deflated chunk, and the end-of-archive blocks a last one.
        using var compressed = new MemoryStream(gzippedTar.Length + (gzippedTar.Length / 8));
        using var gzip = new ChunkedGzip(compressed);
        using var member = new MemoryStream();
        using (var writer = new TarWriter(member, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, type, mode, uid, gid, linkName, offset, length) in entries.OrderBy(entry => entry.Name.TrimEnd('/'), StringComparer.Ordinal))
            {
                var entry = new UstarTarEntry(type, name) { ModificationTime = mtime, Mode = mode, Uid = uid, Gid = gid };
                if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    entry.LinkName = linkName;
                if (length >= 0)
                    entry.DataStream = new MemoryStream(tar, (int)offset, (int)length, writable: false);
                member.SetLength(0);
                writer.WriteEntry(entry);
                Append(gzip, member, chunks);
            }

            member.SetLength(0);
        }

        Append(gzip, member, chunks);
        var diffId = gzip.Finish();
        return new LayerBlob(compressed.ToArray(), diffId);
    }

    private static byte[] Inflate(byte[] gzipped)
    {
        // ISIZE: the uncompressed length modulo 2^32, the last four bytes of a gzip member.
        var size = gzipped.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(gzipped.AsSpan(gzipped.Length - 4)) : 0;
        using var inflated = new MemoryStream((int)Math.Min(size, int.MaxValue / 2));
        using (var gzip = new GZipStream(new MemoryStream(gzipped, writable: false), CompressionMode.Decompress))
            gzip.CopyTo(inflated, 1 << 20);
        return inflated.Length == inflated.Capacity ? inflated.GetBuffer() : inflated.ToArray();
    }

    private static void Append(ChunkedGzip gzip, MemoryStream member, LayerChunkCache chunks)
    {
        var bytes = member.GetBuffer().AsSpan(0, (int)member.Length);
        gzip.Append(bytes, chunks.Deflate(bytes));
    }

    private async Task<(PlatformImage Image, string AppLayer)> PublishPlatformAsync(
        SdkImageArchive archive, JsonObject entry, DateTimeOffset timestamp, LayerChunkCache chunks, BlobPush push, CancellationToken cancellationToken)
    {
        var digest = entry["digest"]!.GetValue<string>();
        var mediaType = entry["mediaType"]?.GetValue<string>() ?? OciMediaTypes.ImageManifest;
        var manifest = JsonNode.Parse(archive.ReadBlob(digest))!.AsObject();
        var configDescriptor = manifest["config"]!.AsObject();
        var config = JsonNode.Parse(archive.ReadBlob(configDescriptor["digest"]!.GetValue<string>()))!.AsObject();

        var layers = manifest["layers"]!.AsArray();
        foreach (var layer in layers.Take(layers.Count - 1).OfType<JsonObject>())
        {
            var layerDigest = layer["digest"]!.GetValue<string>();
            await push.EnsureAsync(layerDigest, () => archive.ReadBlob(layerDigest), canMount: true, cancellationToken);
        }

        var appDescriptor = layers[^1]!.AsObject();
        var appLayer = Repack(archive.ReadBlob(appDescriptor["digest"]!.GetValue<string>()), timestamp, chunks);
        await push.EnsureAsync(appLayer.Digest, () => appLayer.Compressed, canMount: false, cancellationToken);
        appDescriptor["digest"] = appLayer.Digest;
        appDescriptor["size"] = appLayer.Compressed.Length;

        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
        diffIds[^1] = appLayer.DiffId;
        var createdText = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        config["created"] = createdText;
        foreach (var history in (config["history"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (history["author"]?.GetValue<string>() == ".NET SDK")
                history["created"] = createdText;
        }

        var configBytes = JsonSerializer.SerializeToUtf8Bytes(config);
        await push.EnsureAsync(OciRegistryClient.Sha256Digest(configBytes), () => configBytes, canMount: false, cancellationToken);
        configDescriptor["digest"] = OciRegistryClient.Sha256Digest(configBytes);
        configDescriptor["size"] = configBytes.Length;

        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
        var manifestDigest = await registry.PushManifestAsync(ByDigest(push.Tag, manifestBytes), manifestBytes, mediaType, push.Credentials, cancellationToken);
        entry["digest"] = manifestDigest;
        entry["size"] = manifestBytes.Length;

        var platform = entry["platform"] as JsonObject;
        var os = platform?["os"]?.GetValue<string>() ?? config["os"]?.GetValue<string>() ?? "linux";
        var architecture = platform?["architecture"]?.GetValue<string>() ?? config["architecture"]?.GetValue<string>() ?? "unknown";
        log.Debug($"Pinned {os}/{architecture}: {digest} -> {manifestDigest} (app layer {appLayer.Digest}, {appLayer.Compressed.Length / 1024} KiB).");
        return (new PlatformImage($"{os}/{architecture}", manifestDigest), appLayer.Digest);
    }

    private static OciReference ByDigest(OciReference tag, byte[] manifest) =>
        OciReference.Parse($"{tag.Registry}/{tag.Repository}@{OciRegistryClient.Sha256Digest(manifest)}");

    /// <summary>Sends a blob only when the repository lacks it, linking it from <c>mountFrom</c> first where allowed; counts what it did.</summary>
    private sealed class BlobPush(OciRegistryClient registry, OciReference tag, string? mountFrom, RegistryCredentials? credentials)
    {
        private int _uploaded;
        private int _mounted;
        private int _present;

        public OciReference Tag => tag;

        public RegistryCredentials? Credentials => credentials;

        public int Uploaded => _uploaded;

        public int Mounted => _mounted;

        public int Present => _present;

        public async Task EnsureAsync(string digest, Func<byte[]> content, bool canMount, CancellationToken cancellationToken)
        {
            if (await registry.BlobExistsAsync(tag.Registry, tag.Repository, digest, credentials, cancellationToken))
            {
                Interlocked.Increment(ref _present);
            }
            else if (canMount && mountFrom is not null && await registry.MountBlobAsync(tag.Registry, tag.Repository, digest, mountFrom, credentials, cancellationToken))
            {
                Interlocked.Increment(ref _mounted);
            }
            else
            {
                await registry.PushBlobAsync(tag.Registry, tag.Repository, content(), credentials, cancellationToken);
                Interlocked.Increment(ref _uploaded);
            }
        }
    }
}
