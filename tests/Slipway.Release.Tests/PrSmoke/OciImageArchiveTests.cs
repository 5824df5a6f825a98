using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class OciImageArchiveTests : IDisposable
{
    private readonly TempDirectory _work = new();
    private readonly InMemoryImage _image = InMemoryImage.Create();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_archive_is_an_oci_layout_naming_the_image_by_the_rendered_reference_and_its_pr_tag()
    {
        var pin = new ImagePin("127.0.0.1:5000/beacon", _image.IndexDigest);
        var path = _work.Combine("image.tar");

        var archived = await OciImageArchive.WriteAsync(_image, _image.IndexDigest, [pin.ToString(), "127.0.0.1:5000/beacon:pr-7-0123456"], path, CancellationToken.None);

        var entries = Entries(path);
        Assert.Equal(["oci-layout", "index.json", .. _image.Blobs.Keys.Order(StringComparer.Ordinal).Select(digest => $"blobs/sha256/{digest[7..]}")], entries.Keys);
        foreach (var (digest, content) in _image.Blobs)
            Assert.Equal(content, entries[$"blobs/sha256/{digest[7..]}"]);
        using var index = JsonDocument.Parse(entries["index.json"]);
        var manifests = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.All(manifests, manifest => Assert.Equal(_image.IndexDigest, manifest.GetProperty("digest").GetString()));
        Assert.Equal([pin.ToString(), "127.0.0.1:5000/beacon:pr-7-0123456"], manifests.Select(manifest => manifest.GetProperty("annotations").GetProperty("io.containerd.image.name").GetString()));
        Assert.Equal("pr-7-0123456", manifests[1].GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal([(pin.ToString(), _image.IndexDigest), ("127.0.0.1:5000/beacon:pr-7-0123456", _image.IndexDigest)], await OciImageArchive.NamesAsync(path, CancellationToken.None));
        Assert.Equal(new FileInfo(path).Length, archived.Bytes);
    }

    [Fact]
    public async Task The_same_image_gives_the_same_archive_bytes()
    {
        await OciImageArchive.WriteAsync(_image, _image.IndexDigest, ["127.0.0.1:5000/beacon@" + _image.IndexDigest], _work.Combine("a.tar"), CancellationToken.None);
        await OciImageArchive.WriteAsync(_image, _image.IndexDigest, ["127.0.0.1:5000/beacon@" + _image.IndexDigest], _work.Combine("b.tar"), CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(_work.Combine("a.tar")), await File.ReadAllBytesAsync(_work.Combine("b.tar")));
    }

    [Fact]
    public async Task A_blob_that_does_not_match_its_digest_is_refused()
    {
        _image.Blobs[_image.LayerDigest] = Encoding.UTF8.GetBytes("tampered");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => OciImageArchive.WriteAsync(_image, _image.IndexDigest, ["r.example/x@" + _image.IndexDigest], _work.Combine("x.tar"), CancellationToken.None));

        Assert.Contains(_image.LayerDigest, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, byte[]> Entries(string path)
    {
        var entries = new Dictionary<string, byte[]>();
        using var file = File.OpenRead(path);
        using var tar = new TarReader(file);
        while (tar.GetNextEntry(copyData: true) is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream!.CopyTo(content);
            entries[entry.Name] = content.ToArray();
        }

        return entries;
    }
}

/// <summary>A tiny image index (one amd64 manifest, a config, a layer), served from memory.</summary>
internal sealed class InMemoryImage : IImageSource
{
    public Dictionary<string, byte[]> Blobs { get; } = [];

    public string IndexDigest { get; private set; } = string.Empty;

    public string LayerDigest { get; private set; } = string.Empty;

    public static InMemoryImage Create()
    {
        var image = new InMemoryImage();
        var layer = Encoding.UTF8.GetBytes("layer bytes");
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        image.LayerDigest = image.Add(layer);
        var configDigest = image.Add(config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciMediaTypes.ImageManifest,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = image.LayerDigest, size = layer.Length } },
        });
        var manifestDigest = image.Add(manifest);
        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciMediaTypes.ImageIndex,
            manifests = new[] { new { mediaType = OciMediaTypes.ImageManifest, digest = manifestDigest, size = manifest.Length, platform = new { os = "linux", architecture = "amd64" } } },
        });
        image.IndexDigest = image.Add(index);
        return image;
    }

    public Task<(byte[] Content, string MediaType)> ManifestAsync(string digest, CancellationToken cancellationToken)
    {
        var content = Blobs[digest];
        using var document = JsonDocument.Parse(content);
        return Task.FromResult((content, document.RootElement.GetProperty("mediaType").GetString()!));
    }

    public Task<byte[]> BlobAsync(string digest, CancellationToken cancellationToken) => Task.FromResult(Blobs[digest]);

    private string Add(byte[] content)
    {
        var digest = OciRegistryClient.Sha256Digest(content);
        Blobs[digest] = content;
        return digest;
    }
}
