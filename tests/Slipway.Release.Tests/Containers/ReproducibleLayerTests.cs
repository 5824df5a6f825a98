using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using Slipway.Release.Containers;

namespace Slipway.Release.Tests.Containers;

[SupportedOSPlatform("linux")]
public sealed class ReproducibleLayerTests
{
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.Parse("2026-11-24T03:35:12Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_same_tree_written_at_different_times_and_orders_gives_the_same_layer()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        WriteTree(first.Path, ["usr/lib/libc.so.6", "etc/passwd", "tmp/"], new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        WriteTree(second.Path, ["tmp/", "etc/passwd", "usr/lib/libc.so.6"], new DateTime(2025, 6, 7, 8, 9, 10, DateTimeKind.Utc));

        var a = ReproducibleLayer.Create(first.Path, Timestamp);
        var b = ReproducibleLayer.Create(second.Path, Timestamp);

        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(a.DiffId, b.DiffId);
        Assert.NotEqual(a.Digest, ReproducibleLayer.Create(first.Path, Timestamp.AddSeconds(1)).Digest);
    }

    [Fact]
    public void Entries_are_sorted_with_one_mtime_root_owned_except_overrides_and_keep_modes_and_links()
    {
        using var root = new TempDirectory();
        WriteTree(root.Path, ["usr/lib/libc.so.6", "etc/passwd", "tmp/", "home/app/"], DateTime.UtcNow);
        File.SetUnixFileMode(root.Combine("tmp"), (UnixFileMode)Convert.ToInt32("1777", 8));
        File.CreateSymbolicLink(root.Combine("usr", "lib", "libc.so"), "libc.so.6");

        var layer = ReproducibleLayer.Create(root.Path, Timestamp, new Dictionary<string, (int, int)> { ["home/app"] = (10001, 10001) });
        var entries = Read(layer.Compressed);

        Assert.Equal(
            ["etc/", "etc/passwd", "home/", "home/app/", "tmp/", "usr/", "usr/lib/", "usr/lib/libc.so", "usr/lib/libc.so.6"],
            entries.Select(entry => entry.Name));
        Assert.All(entries, entry => Assert.Equal(Timestamp, entry.ModificationTime));
        Assert.All(entries.Where(entry => entry.Name != "home/app/"), entry => Assert.Equal((0, 0), (entry.Uid, entry.Gid)));
        Assert.Equal((10001, 10001), entries.Single(entry => entry.Name == "home/app/") is var home ? (home.Uid, home.Gid) : default);
        Assert.Equal("1777", Convert.ToString((int)entries.Single(entry => entry.Name == "tmp/").Mode, 8));
        Assert.Equal("libc.so.6", entries.Single(entry => entry.Name == "usr/lib/libc.so").LinkName);
        // No timestamp and no file name in the gzip header.
        Assert.Equal([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0], layer.Compressed[..8]);
    }

    [Fact]
    public void Repacking_an_sdk_style_layer_sorts_entries_pins_mtimes_and_keeps_owners()
    {
        var later = Tar([("app/", null, 10001), ("app/b.dll", "bb", 10001), ("app/a.dll", "a", 10001)], DateTimeOffset.UtcNow);
        var earlier = Tar([("app/a.dll", "a", 10001), ("app/", null, 10001), ("app/b.dll", "bb", 10001)], DateTimeOffset.UtcNow.AddHours(-3));

        var first = ImageNormalizer.Repack(later, Timestamp, LayerChunkCache.None());
        var second = ImageNormalizer.Repack(earlier, Timestamp, LayerChunkCache.None());

        Assert.Equal(first.Digest, second.Digest);
        var entries = Read(first.Compressed);
        Assert.Equal(["app/", "app/a.dll", "app/b.dll"], entries.Select(entry => entry.Name));
        Assert.All(entries, entry => Assert.Equal((Timestamp, 10001), (entry.ModificationTime, entry.Uid)));
    }

    private static void WriteTree(string root, string[] paths, DateTime mtime)
    {
        foreach (var path in paths)
        {
            var full = Path.Combine(root, path);
            if (path.EndsWith('/'))
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, "content of " + path);
                File.SetLastWriteTimeUtc(full, mtime);
            }
        }
    }

    private static byte[] Tar(IEnumerable<(string Name, string? Content, int Uid)> entries, DateTimeOffset mtime)
    {
        using var tar = new MemoryStream();
        using (var gzip = new GZipStream(tar, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content, uid) in entries)
            {
                var entry = new PaxTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name) { ModificationTime = mtime, Uid = uid };
                if (content is not null)
                    entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
                writer.WriteEntry(entry);
            }
        }

        return tar.ToArray();
    }

    private static List<TarEntry> Read(byte[] gzipped)
    {
        using var reader = new TarReader(new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
            entries.Add(entry);
        return entries;
    }
}
