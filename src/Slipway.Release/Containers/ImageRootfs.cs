using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Oci;

namespace Slipway.Release.Containers;

/// <summary>
/// One platform image unpacked into a fresh temporary folder: its layers applied in order, and its config. The folder is
/// deleted on dispose, whatever ran in it.
/// </summary>
public sealed class ImageRootfs : IDisposable
{
    private readonly string _ownedDirectory;
    private int _disposed;

    private ImageRootfs(string ownedDirectory, string rootPath, ImageConfig config, string? manifestDigest)
    {
        _ownedDirectory = ownedDirectory;
        RootPath = rootPath;
        Config = config;
        ManifestDigest = manifestDigest;
    }

    /// <summary>The unpacked root (what the container sees as <c>/</c>).</summary>
    public string RootPath { get; }

    public ImageConfig Config { get; }

    /// <summary>The platform manifest it came from; null for an adopted folder.</summary>
    public string? ManifestDigest { get; }

    /// <summary>Pulls the config and layers of one platform manifest and unpacks them.</summary>
    /// <param name="manifest">A platform image manifest (by digest, typically one entry of an index), not an index.</param>
    /// <param name="createTemporaryDirectory">Makes the folder it unpacks into (a build's <c>CreateTemporaryDirectory</c>: in the run's temp root).</param>
    /// <exception cref="OciRegistryException">The registry refuses or lacks something, or the reference is an index.</exception>
    public static async Task<ImageRootfs> PullAsync(
        OciRegistryClient client, OciReference manifest, Func<string, DirectoryInfo> createTemporaryDirectory, IBuildLog log, RegistryCredentials? credentials = null,
        CancellationToken cancellationToken = default)
    {
        var resolution = await client.ResolveManifestAsync(manifest, credentials, cancellationToken);
        var found = resolution as ManifestResolution.Found ?? throw new OciRegistryException(resolution switch
        {
            ManifestResolution.NotFound notFound => notFound.Message,
            ManifestResolution.Unauthorized unauthorized => unauthorized.Message,
            _ => $"{manifest} could not be resolved.",
        });
        if (found.MediaType is OciMediaTypes.ImageIndex or OciMediaTypes.DockerManifestList)
            throw new OciRegistryException($"{manifest} is an image index; unpack one of its platform manifests (by digest) instead.");

        var (configDigest, layers) = ReadManifest(found.Content, manifest);
        var config = ImageConfig.Parse(await client.GetBlobAsync(manifest.Registry, manifest.Repository, configDigest, credentials, cancellationToken));

        var directory = createTemporaryDirectory("slipway-rootfs-").FullName;
        var rootfs = new ImageRootfs(directory, Path.Combine(directory, "root"), config, found.Digest);
        try
        {
            Directory.CreateDirectory(rootfs.RootPath);
            // The image may run as a non-root user, who must be able to reach its root.
            MakeTraversable(directory);
            MakeTraversable(rootfs.RootPath);
            foreach (var (digest, mediaType) in layers)
            {
                var blob = await client.GetBlobAsync(manifest.Registry, manifest.Repository, digest, credentials, cancellationToken);
                using var stream = new MemoryStream(blob, writable: false);
                LayerUnpacker.Apply(rootfs.RootPath, stream, mediaType);
            }

            log.Info($"Unpacked {manifest.Repository}@{found.Digest} ({config.Platform}, {layers.Count} layer(s)) into {rootfs.RootPath}.");
            return rootfs;
        }
        catch
        {
            rootfs.Dispose();
            throw;
        }
    }

    /// <summary>Takes over a folder that already holds a root (e.g. built by hand for a test): it is deleted on dispose.</summary>
    public static ImageRootfs Adopt(string rootPath, ImageConfig config)
    {
        if (!Directory.Exists(rootPath))
            throw new DirectoryNotFoundException($"No root folder at {rootPath}.");
        MakeTraversable(rootPath);
        return new ImageRootfs(rootPath, rootPath, config, null);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || !Directory.Exists(_ownedDirectory))
            return;
        try
        {
            Directory.Delete(_ownedDirectory, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // A folder without write permission (as a layer may set) blocks a non-root delete: open it up and retry.
            if (!OperatingSystem.IsWindows())
            {
                foreach (var folder in Directory.EnumerateDirectories(_ownedDirectory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
                    File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(_ownedDirectory, recursive: true);
        }
    }

    private static void MakeTraversable(string directory)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static (string ConfigDigest, List<(string Digest, string? MediaType)> Layers) ReadManifest(byte[] content, OciReference manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            var configDigest = root.GetProperty("config").GetProperty("digest").GetString()!;
            var layers = root.TryGetProperty("layers", out var list)
                ? list.EnumerateArray().Select(layer => (layer.GetProperty("digest").GetString()!, layer.TryGetProperty("mediaType", out var type) ? type.GetString() : null)).ToList()
                : [];
            return (configDigest, layers);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new OciRegistryException($"{manifest} is not an image manifest with a config and layers: {exception.Message}");
        }
    }
}
