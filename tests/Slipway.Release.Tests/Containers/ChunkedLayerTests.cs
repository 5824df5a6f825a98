using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Slipway.Release.Containers;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.Containers;

public sealed class ChunkedLayerTests
{
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.Parse("2026-11-24T03:35:12Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Chunks_deflated_apart_splice_into_one_gzip_member_that_inflates_to_their_concatenation()
    {
        byte[][] parts = [Encoding.UTF8.GetBytes(new string('a', 70_000)), RandomNumberGenerator.GetBytes(5000), Encoding.UTF8.GetBytes("tail")];
        using var output = new MemoryStream();
        string diffId;
        using (var gzip = new ChunkedGzip(output))
        {
            foreach (var part in parts)
                gzip.Append(part, ChunkedGzip.Deflate(part));
            diffId = gzip.Finish();
        }

        var whole = parts.SelectMany(part => part).ToArray();
        // zlib checks the trailer's CRC-32 and length when it inflates a gzip member: a wrong one throws here.
        Assert.Equal(whole, Inflate(output.ToArray()));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(whole)), diffId);
        Assert.Equal([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0], output.ToArray()[..8]);
    }

    [Fact]
    public void A_repack_from_cached_chunks_is_byte_identical_to_one_compressed_afresh_and_compresses_only_what_changed()
    {
        using var cacheRoot = new TempDirectory();
        var layer = SdkLayer(("app/", null), ("app/Beacon.dll", "version 1"), ("app/System.Private.CoreLib.dll", new string('x', 100_000)));
        var changed = SdkLayer(("app/", null), ("app/Beacon.dll", "version 2"), ("app/System.Private.CoreLib.dll", new string('x', 100_000)));

        var fresh = ImageNormalizer.Repack(changed, Timestamp, LayerChunkCache.None());
        var warmUp = LayerChunkCache.At(cacheRoot.Path);
        ImageNormalizer.Repack(layer, Timestamp, warmUp);
        warmUp.Prune();
        var cache = LayerChunkCache.At(cacheRoot.Path);
        var cached = ImageNormalizer.Repack(changed, Timestamp, cache);

        Assert.Equal(fresh.Compressed, cached.Compressed);
        Assert.Equal(fresh.DiffId, cached.DiffId);
        // Four chunks: the folder, the two files, the end-of-archive blocks; only Beacon.dll changed.
        Assert.Equal((3, 1), (cache.Hits, cache.Misses));
        var entries = ReadTar(Inflate(cached.Compressed));
        Assert.Equal(["app/", "app/Beacon.dll", "app/System.Private.CoreLib.dll"], entries.Select(entry => entry.Name));
        Assert.Equal("version 2", entries[1].Text);
    }

    [Fact]
    public void A_damaged_chunk_file_is_compressed_again_and_pruning_keeps_only_the_chunks_of_the_last_layer()
    {
        using var cacheRoot = new TempDirectory();
        var first = SdkLayer(("app/", null), ("app/a.dll", new string('a', 50_000)));
        var expected = ImageNormalizer.Repack(first, Timestamp, LayerChunkCache.None());
        ImageNormalizer.Repack(first, Timestamp, LayerChunkCache.At(cacheRoot.Path));
        var files = Directory.GetFiles(cacheRoot.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(3, files.Length);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            bytes[^1] ^= 0xff;
            File.WriteAllBytes(file, bytes);
        }

        var cache = LayerChunkCache.At(cacheRoot.Path);
        var again = ImageNormalizer.Repack(first, Timestamp, cache);
        Assert.Equal(expected.Compressed, again.Compressed);
        Assert.Equal((0, 3), (cache.Hits, cache.Misses));

        var other = LayerChunkCache.At(cacheRoot.Path);
        ImageNormalizer.Repack(SdkLayer(("app/", null), ("app/b.dll", "b")), Timestamp, other);
        Directory.CreateDirectory(Path.Combine(cacheRoot.Path, "deflate6-dotnet9.0.0"));
        other.Prune();
        Assert.Equal(3, Directory.GetFiles(cacheRoot.Path, "*", SearchOption.AllDirectories).Length);
        Assert.Single(Directory.GetDirectories(cacheRoot.Path));
    }

    /// <summary>Like the SDK's layer: PAX headers, wall-clock mtimes, file-system order.</summary>
    private static byte[] SdkLayer(params (string Name, string? Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries.Reverse())
            {
                var entry = new PaxTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name) { Uid = 10001 };
                if (content is not null)
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    private static byte[] Inflate(byte[] gzipped)
    {
        using var inflated = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress))
            gzip.CopyTo(inflated);
        return inflated.ToArray();
    }

    private static List<(string Name, string Text)> ReadTar(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<(string, string)>();
        while (reader.GetNextEntry() is { } entry)
            entries.Add((entry.Name, entry.DataStream is { } data ? new StreamReader(data).ReadToEnd() : string.Empty));
        return entries;
    }
}
