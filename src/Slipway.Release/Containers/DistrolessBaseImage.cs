using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>What to build: where it goes, for which platforms, and the one timestamp every entry and the config carry.</summary>
/// <param name="Target">Registry, repository and tag, e.g. <c>127.0.0.1:5000/slipway/runtime-deps:debian12</c>.</param>
public sealed record DistrolessBaseRequest(OciReference Target, IReadOnlyList<ContainerPlatform> Platforms, DateTimeOffset Timestamp)
{
    public RegistryCredentials? Credentials { get; init; }
}

/// <summary>A pushed base image index.</summary>
/// <param name="Reference"><c>registry/repository@sha256:...</c> of the index.</param>
/// <param name="BlobsUploaded">Blobs sent in this push; the rest the registry already had.</param>
public sealed record BaseImage(string Reference, string IndexDigest, IReadOnlyList<PlatformImage> Platforms, string Description, int BlobsUploaded, int BlobsReused);

/// <summary>One platform's manifest in an index.</summary>
public sealed record PlatformImage(string Platform, string Digest);

/// <summary>
/// Builds a distroless-style base image index the way distroless images are assembled, with no container runtime: the
/// contents of Debian packages (glibc, libstdc++, libgcc, OpenSSL, CA certificates, tzdata) unpacked with <c>dpkg -x</c>
/// into one rootfs per platform, plus <c>/etc/passwd</c> and <c>/etc/group</c> with a numeric non-root user, <c>/tmp</c>
/// (1777) and the CA bundle (which ca-certificates' postinst would have made), packed into one reproducible layer per
/// platform and pushed with the OCI client. The same packages and timestamp give the same digests; blobs the registry
/// already holds are not uploaded again.
/// </summary>
/// <param name="createTemporaryDirectory">Makes the folder each platform's root is assembled in (a build's <c>CreateTemporaryDirectory</c>: in the run's temp root).</param>
public sealed class DistrolessBaseImage(IProcessRunner runner, DebianPackageCache packages, OciRegistryClient registry, Func<string, DirectoryInfo> createTemporaryDirectory, IBuildLog log)
{
    public const int UserId = 10001;
    public const string UserName = "app";
    public const string CaBundle = "etc/ssl/certs/ca-certificates.crt";

    /// <summary>
    /// What a self-contained .NET app with invariant globalization needs from the OS: libc, libstdc++, libgcc_s, OpenSSL for
    /// TLS and cryptography, the CA certificates for HTTPS and tzdata for time zones. No ICU; no zlib (the runtime carries
    /// its own since .NET 9).
    /// </summary>
    public static IReadOnlyList<string> Packages { get; } = ["libc6", "libgcc-s1", "libstdc++6", "libssl3", "ca-certificates", "tzdata"];

    public async Task<BaseImage> BuildAndPushAsync(DistrolessBaseRequest request, CancellationToken cancellationToken = default)
    {
        var image = await BuildAsync(request.Platforms, request.Timestamp, cancellationToken);
        return await PushAsync(image, request.Target, request.Credentials, cancellationToken);
    }

    /// <summary>Builds the layers, configs, manifests and index in memory, without a registry.</summary>
    public async Task<BuiltIndex> BuildAsync(IReadOnlyList<ContainerPlatform> platforms, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        if (platforms.Count == 0)
            throw new ArgumentException("At least one platform is needed.", nameof(platforms));
        var built = new List<BuiltPlatform>();
        foreach (var platform in platforms)
            built.Add(await BuildPlatformAsync(platform, timestamp, cancellationToken));

        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciMediaTypes.ImageIndex,
            manifests = built.Select(entry => new
            {
                mediaType = OciMediaTypes.ImageManifest,
                digest = OciRegistryClient.Sha256Digest(entry.Manifest),
                size = entry.Manifest.Length,
                platform = PlatformJson(entry.Platform),
            }),
        });
        return new BuiltIndex(index, built);
    }

    /// <summary>Pushes blobs (skipping those the registry has), then each manifest by digest, then the index under the tag.</summary>
    public async Task<BaseImage> PushAsync(BuiltIndex image, OciReference target, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var uploaded = 0;
        var reused = 0;
        foreach (var platform in image.Platforms)
        {
            foreach (var blob in new[] { platform.Layer.Compressed, platform.Config })
            {
                var digest = OciRegistryClient.Sha256Digest(blob);
                if (await registry.BlobExistsAsync(target.Registry, target.Repository, digest, credentials, cancellationToken))
                {
                    reused++;
                    log.Debug($"Blob {digest} is already in {target.Registry}/{target.Repository}; not uploaded again.");
                    continue;
                }

                await registry.PushBlobAsync(target.Registry, target.Repository, blob, credentials, cancellationToken);
                uploaded++;
            }

            var manifestDigest = OciRegistryClient.Sha256Digest(platform.Manifest);
            await registry.PushManifestAsync(
                OciReference.Parse($"{target.Registry}/{target.Repository}@{manifestDigest}"), platform.Manifest, OciMediaTypes.ImageManifest, credentials, cancellationToken);
        }

        var indexDigest = await registry.PushManifestAsync(target, image.Index, OciMediaTypes.ImageIndex, credentials, cancellationToken);
        var reference = $"{target.Registry}/{target.Repository}@{indexDigest}";
        var platforms = image.Platforms.Select(platform => new PlatformImage(platform.Platform.ToString(), OciRegistryClient.Sha256Digest(platform.Manifest))).ToList();
        var description = $"distroless base from Debian packages ({string.Join(", ", image.Platforms[0].PackageVersions.Select(pair => $"{pair.Key} {pair.Value}"))}), " +
            $"user {UserId}, pushed as {target} ({indexDigest})";
        // The description itself is printed once, by the base image selection that takes this base.
        log.Info($"Pushed the distroless base as {target} ({indexDigest}): {uploaded} blob(s) uploaded, {reused} already in the registry.");
        return new BaseImage(reference, indexDigest, platforms, description, uploaded, reused);
    }

    /// <summary>An index entry's <c>platform</c>: os, architecture and, for arm64, the variant.</summary>
    internal static Dictionary<string, string> PlatformJson(ContainerPlatform platform)
    {
        var json = new Dictionary<string, string> { ["architecture"] = platform.Architecture, ["os"] = platform.Os };
        if (platform.Variant is not null)
            json["variant"] = platform.Variant;
        return json;
    }

    private async Task<BuiltPlatform> BuildPlatformAsync(ContainerPlatform platform, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var debs = await packages.EnsureAsync(platform.DebianArchitecture, Packages, cancellationToken);
        var staging = createTemporaryDirectory("slipway-rootfs-");
        try
        {
            var rootfs = Directory.CreateDirectory(Path.Combine(staging.FullName, "rootfs")).FullName;
            var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, deb) in debs.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                versions[name] = (await runner.RunAsync(new ToolCommand("dpkg-deb", "-f", deb, "Version") { StreamOutput = false }, cancellationToken)).StandardOutput.Trim();
                await runner.RunAsync(new ToolCommand("dpkg", "-x", deb, rootfs) { StreamOutput = false }, cancellationToken);
            }

            AddSystemFiles(rootfs);
            var home = $"home/{UserName}";
            var layer = ReproducibleLayer.Create(rootfs, timestamp, new Dictionary<string, (int, int)> { [home] = (UserId, UserId) });
            var created = timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var packageList = string.Join(' ', versions.Select(pair => $"{pair.Key}={pair.Value}"));
            var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
            {
                ["created"] = created,
                ["architecture"] = platform.Architecture,
                ["os"] = platform.Os,
                ["variant"] = platform.Variant,
                ["config"] = new Dictionary<string, object>
                {
                    ["User"] = UserId.ToString(CultureInfo.InvariantCulture),
                    ["Env"] = new[]
                    {
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        // libssl3 alone has no /usr/lib/ssl/cert.pem (the openssl package links that): point OpenSSL at the bundle.
                        $"SSL_CERT_FILE=/{CaBundle}",
                        "SSL_CERT_DIR=/etc/ssl/certs",
                        $"APP_UID={UserId}",
                        "DOTNET_RUNNING_IN_CONTAINER=true",
                    },
                    ["WorkingDir"] = "/",
                    ["Labels"] = new Dictionary<string, string>
                    {
                        ["org.opencontainers.image.created"] = created,
                        ["org.opencontainers.image.description"] = "Distroless-style runtime base assembled from Debian packages",
                        ["dev.slipway.debian-packages"] = packageList,
                    },
                },
                ["rootfs"] = new { type = "layers", diff_ids = new[] { layer.DiffId } },
                ["history"] = new[] { new { created, created_by = $"slipway: dpkg -x {packageList}" } },
            }.Where(pair => pair.Value is not null).ToDictionary());
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new
            {
                schemaVersion = 2,
                mediaType = OciMediaTypes.ImageManifest,
                config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = OciRegistryClient.Sha256Digest(config), size = config.Length },
                layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layer.Digest, size = layer.Compressed.Length } },
            });
            log.Info($"Built the {platform} base layer: {layer.Compressed.Length / 1024} KiB compressed, {layer.Digest}.");
            return new BuiltPlatform(platform, layer, config, manifest, versions);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private static void AddSystemFiles(string rootfs)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("A Debian rootfs is assembled on Linux (dpkg, Unix modes).");

        void Write(string relative, string content, UnixFileMode mode)
        {
            var path = Path.Combine(rootfs, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(path, mode);
        }

        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Write("etc/passwd", $"root:x:0:0:root:/root:/sbin/nologin\n{UserName}:x:{UserId}:{UserId}:{UserName}:/home/{UserName}:/sbin/nologin\n", readable);
        Write("etc/group", $"root:x:0:\n{UserName}:x:{UserId}:\n", readable);
        Write("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n", readable);

        // The bundle update-ca-certificates would write: every PEM of the package, in a stable order.
        var certificates = Path.Combine(rootfs, "usr", "share", "ca-certificates");
        var bundle = new StringBuilder();
        foreach (var pem in Directory.EnumerateFiles(certificates, "*.crt", SearchOption.AllDirectories)
                     .OrderBy(path => Path.GetRelativePath(certificates, path), StringComparer.Ordinal))
        {
            var text = File.ReadAllText(pem);
            bundle.Append(text);
            if (!text.EndsWith('\n'))
                bundle.Append('\n');
        }

        if (bundle.Length == 0)
            throw new InvalidOperationException($"ca-certificates unpacked no certificates under {certificates}.");
        Write(CaBundle, bundle.ToString(), readable);

        var directoryMode = readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (var (relative, mode) in new[]
                 {
                     ("tmp", directoryMode | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit),
                     ("root", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                     ($"home/{UserName}", directoryMode),
                 })
        {
            var path = Directory.CreateDirectory(Path.Combine(rootfs, relative)).FullName;
            File.SetUnixFileMode(path, mode);
        }
    }
}

/// <summary>A built (not yet pushed) platform image.</summary>
public sealed record BuiltPlatform(ContainerPlatform Platform, LayerBlob Layer, byte[] Config, byte[] Manifest, IReadOnlyDictionary<string, string> PackageVersions);

/// <summary>A built (not yet pushed) index and its platform images.</summary>
public sealed record BuiltIndex(byte[] Index, IReadOnlyList<BuiltPlatform> Platforms)
{
    public string Digest => OciRegistryClient.Sha256Digest(Index);
}
