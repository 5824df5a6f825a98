using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Logging;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>
/// Pins what the .NET SDK's container tooling takes from the clock, so that the same commit gives the same per-platform
/// digests. The SDK (10.0.4xx) writes the wall clock into each config's <c>created</c> and into its history entry, and
/// packs the app layer in file-system order with the publish folder's mtimes (the time of the copy); none of that has a
/// switch. For each platform of the pushed index this rewrites the app layer (the last one: the SDK adds exactly one) with
/// sorted entries and every mtime set to <c>created</c>, keeping names, contents, modes, owners and links; sets the config's
/// and the SDK history entry's <c>created</c>; and pushes the new blobs (only those the registry lacks), the manifests (by
/// digest and under the SDK's per-RID tags) and the index under the tag.
/// </summary>
public sealed class ImageNormalizer(OciRegistryClient registry, IBuildLog log)
{
    public async Task<(string IndexDigest, IReadOnlyList<PlatformImage> Platforms)> NormalizeAsync(
        OciReference tag, DateTimeOffset created, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var found = await registry.ResolveManifestAsync(tag, credentials, cancellationToken) as ManifestResolution.Found
            ?? throw new OciRegistryException($"{tag} is not in the registry after the build.");
        var index = JsonNode.Parse(found.Content)!.AsObject();
        if (index["manifests"] is not JsonArray entries)
            throw new OciRegistryException($"{tag} is a single-platform manifest ({found.MediaType}), not an index.");

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(created.ToUnixTimeSeconds());
        var createdText = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var platforms = new List<PlatformImage>();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var digest = entry["digest"]!.GetValue<string>();
            var mediaType = entry["mediaType"]?.GetValue<string>() ?? OciMediaTypes.ImageManifest;
            var manifestFound = await registry.ResolveManifestAsync(OciReference.Parse($"{tag.Registry}/{tag.Repository}@{digest}"), credentials, cancellationToken) as ManifestResolution.Found
                ?? throw new OciRegistryException($"{tag} lists {digest}, which the registry does not serve.");
            var manifest = JsonNode.Parse(manifestFound.Content)!.AsObject();
            var configDescriptor = manifest["config"]!.AsObject();
            var config = JsonNode.Parse(await registry.GetBlobAsync(tag.Registry, tag.Repository, configDescriptor["digest"]!.GetValue<string>(), credentials, cancellationToken))!.AsObject();

            var layers = manifest["layers"]!.AsArray();
            var appDescriptor = layers[^1]!.AsObject();
            var appLayer = Repack(
                await registry.GetBlobAsync(tag.Registry, tag.Repository, appDescriptor["digest"]!.GetValue<string>(), credentials, cancellationToken), timestamp);
            await PushBlobIfMissingAsync(tag, appLayer.Compressed, credentials, cancellationToken);
            appDescriptor["digest"] = appLayer.Digest;
            appDescriptor["size"] = appLayer.Compressed.Length;

            var diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
            diffIds[^1] = appLayer.DiffId;
            config["created"] = createdText;
            foreach (var history in (config["history"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (history["author"]?.GetValue<string>() == ".NET SDK")
                    history["created"] = createdText;
            }

            var configBytes = JsonSerializer.SerializeToUtf8Bytes(config);
            await PushBlobIfMissingAsync(tag, configBytes, credentials, cancellationToken);
            configDescriptor["digest"] = OciRegistryClient.Sha256Digest(configBytes);
            configDescriptor["size"] = configBytes.Length;

            var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
            var manifestDigest = await registry.PushManifestAsync(
                OciReference.Parse($"{tag.Registry}/{tag.Repository}@{OciRegistryClient.Sha256Digest(manifestBytes)}"), manifestBytes, mediaType, credentials, cancellationToken);
            entry["digest"] = manifestDigest;
            entry["size"] = manifestBytes.Length;

            var platform = entry["platform"] as JsonObject;
            var os = platform?["os"]?.GetValue<string>() ?? config["os"]?.GetValue<string>() ?? "linux";
            var architecture = platform?["architecture"]?.GetValue<string>() ?? config["architecture"]?.GetValue<string>() ?? "unknown";
            var name = $"{os}/{architecture}";
            // The SDK tags each platform <tag>-<rid>; keep those tags on the pinned manifests too.
            if (ContainerPlatform.Supported.FirstOrDefault(candidate => candidate.Matches(os, architecture)) is { } known)
                await registry.PushManifestAsync(OciReference.Parse($"{tag.Registry}/{tag.Repository}:{tag.Tag}-{known.RuntimeIdentifier}"), manifestBytes, mediaType, credentials, cancellationToken);
            log.Debug($"Pinned {name}: {digest} -> {manifestDigest} (app layer {appLayer.Digest}).");
            platforms.Add(new PlatformImage(name, manifestDigest));
        }

        var indexBytes = JsonSerializer.SerializeToUtf8Bytes(index);
        var indexDigest = await registry.PushManifestAsync(tag, indexBytes, found.MediaType, credentials, cancellationToken);
        return (indexDigest, platforms);
    }

    /// <summary>The same entries, sorted by name, with one mtime and ustar headers; owners, modes, contents and links kept.</summary>
    internal static LayerBlob Repack(byte[] gzippedTar, DateTimeOffset mtime)
    {
        var entries = new List<(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string LinkName, byte[]? Data)>();
        using (var input = new GZipStream(new MemoryStream(gzippedTar), CompressionMode.Decompress))
        using (var reader = new TarReader(input))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.SymbolicLink or TarEntryType.HardLink))
                    throw new InvalidDataException($"The SDK's app layer holds '{entry.Name}' of type {entry.EntryType}, which the normaliser does not repack.");
                byte[]? data = null;
                if (entry.DataStream is { } stream)
                {
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    data = buffer.ToArray();
                }

                var type = entry.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType;
                entries.Add((entry.Name, type, entry.Mode, entry.Uid, entry.Gid, entry.LinkName, data));
            }
        }

        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, type, mode, uid, gid, linkName, data) in entries.OrderBy(entry => entry.Name.TrimEnd('/'), StringComparer.Ordinal))
            {
                var entry = new UstarTarEntry(type, name) { ModificationTime = mtime, Mode = mode, Uid = uid, Gid = gid };
                if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    entry.LinkName = linkName;
                if (data is not null)
                    entry.DataStream = new MemoryStream(data);
                writer.WriteEntry(entry);
            }
        }

        return ReproducibleLayer.Compress(tar.ToArray());
    }

    private async Task PushBlobIfMissingAsync(OciReference tag, byte[] blob, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        if (!await registry.BlobExistsAsync(tag.Registry, tag.Repository, OciRegistryClient.Sha256Digest(blob), credentials, cancellationToken))
            await registry.PushBlobAsync(tag.Registry, tag.Repository, blob, credentials, cancellationToken);
    }
}
