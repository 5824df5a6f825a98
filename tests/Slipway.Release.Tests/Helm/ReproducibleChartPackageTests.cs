using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Slipway.Release.Helm;

namespace Slipway.Release.Tests.Helm;

public sealed class ReproducibleChartPackageTests : IDisposable
{
    private static readonly DateTimeOffset CommitTime = new(2026, 11, 24, 8, 5, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("slipway-repack-");

    public void Dispose() => _root.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_root.FullName, name);

    /// <summary>An archive like helm's: the wall clock on every entry, unsorted, with whatever owner and modes the machine had.</summary>
    private string Synthetic(string name, DateTimeOffset mtime, string values = "replicaCount: 1\n", Action<TarWriter>? extra = null)
    {
        var path = PathOf(name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            void Add(string entryName, string content, UnixFileMode mode)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName)
                {
                    ModificationTime = mtime,
                    Mode = mode,
                    Uid = 1000,
                    Gid = 1000,
                    UserName = "builder",
                    GroupName = "staff",
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
            }

            Add("demo/values.yaml", values, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Add("demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.2.3\n", (UnixFileMode)0x1FF);
            Add("demo/templates/cm.yaml", "kind: ConfigMap\n", UnixFileMode.UserRead);
            extra?.Invoke(writer);
        }

        File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
        return path;
    }

    [Fact]
    public void Same_content_at_different_times_gives_identical_bytes()
    {
        var first = ReproducibleChartPackage.Repack(Synthetic("a.tgz", DateTimeOffset.UtcNow), PathOf("out/a.tgz"), CommitTime);
        var second = ReproducibleChartPackage.Repack(Synthetic("b.tgz", DateTimeOffset.UtcNow.AddSeconds(7)), PathOf("out/b.tgz"), CommitTime);

        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(ReproducibleChartPackage.ComputeDigest(first.Path), first.Digest);
        Assert.Equal(("demo", "1.2.3"), (first.ChartName, first.ChartVersion));
    }

    [Fact]
    public void A_content_change_changes_the_digest()
    {
        var first = ReproducibleChartPackage.Repack(Synthetic("a.tgz", CommitTime), PathOf("a-out.tgz"), CommitTime);
        var second = ReproducibleChartPackage.Repack(Synthetic("b.tgz", CommitTime, values: "replicaCount: 2\n"), PathOf("b-out.tgz"), CommitTime);

        Assert.NotEqual(first.Digest, second.Digest);
    }

    [Fact]
    public void Entries_are_sorted_with_fixed_metadata()
    {
        var package = ReproducibleChartPackage.Repack(Synthetic("a.tgz", DateTimeOffset.UtcNow), PathOf("out.tgz"), CommitTime.AddMilliseconds(750));

        using var file = File.OpenRead(package.Path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
            entries.Add(entry);

        Assert.Equal(["demo/Chart.yaml", "demo/templates/cm.yaml", "demo/values.yaml"], entries.Select(entry => entry.Name));
        Assert.All(entries, entry =>
        {
            var ustar = Assert.IsType<UstarTarEntry>(entry);
            Assert.Equal(CommitTime, ustar.ModificationTime);
            Assert.Equal(0, ustar.Uid);
            Assert.Equal(0, ustar.Gid);
            Assert.Equal(string.Empty, ustar.UserName);
            Assert.Equal(string.Empty, ustar.GroupName);
            Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), ustar.Mode);
        });
        Assert.Equal(CommitTime.UtcDateTime, File.GetLastWriteTimeUtc(package.Path));
    }

    [Fact]
    public void Directories_get_0755()
    {
        var source = Synthetic("a.tgz", CommitTime, extra: writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "demo/templates/") { Mode = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite }));

        var package = ReproducibleChartPackage.Repack(source, PathOf("out.tgz"), CommitTime);

        using var file = File.OpenRead(package.Path);
        using var reader = new TarReader(new GZipStream(file, CompressionMode.Decompress));
        var names = new List<(string, UnixFileMode)>();
        while (reader.GetNextEntry() is { } entry)
            names.Add((entry.Name, entry.Mode));
        Assert.Contains(("demo/templates/", (UnixFileMode)Convert.ToInt32("755", 8)), names);
    }

    [Fact]
    public void Gzip_header_has_no_timestamp_no_name_and_a_fixed_os()
    {
        var package = ReproducibleChartPackage.Repack(Synthetic("a.tgz", DateTimeOffset.UtcNow), PathOf("out.tgz"), CommitTime);
        var header = File.ReadAllBytes(package.Path)[..10];

        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0 }, header[..4]);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, header[4..8]);
        Assert.Equal(0xff, header[9]);
    }

    [Fact]
    public void Dotnet_gzip_stream_itself_writes_a_zero_mtime_and_no_name()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write("hello"u8);
        var header = compressed.ToArray()[..10];

        Assert.Equal(0, header[3]);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, header[4..8]);
    }

    [Fact]
    public void Repacking_in_place_works()
    {
        var source = Synthetic("a.tgz", DateTimeOffset.UtcNow);
        var expected = ReproducibleChartPackage.Repack(source, PathOf("expected.tgz"), CommitTime);

        var inPlace = ReproducibleChartPackage.Repack(source, source, CommitTime);

        Assert.Equal(expected.Digest, inPlace.Digest);
        Assert.Single(_root.GetFiles("a.tgz*"));
    }

    [Fact]
    public void Links_are_refused()
    {
        var source = Synthetic("a.tgz", CommitTime, extra: writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "demo/templates/link.yaml") { LinkName = "/etc/passwd" }));

        var error = Assert.Throws<ChartPackageException>(() => ReproducibleChartPackage.Repack(source, PathOf("out.tgz"), CommitTime));
        Assert.Contains("demo/templates/link.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_outside_one_chart_folder_are_refused()
    {
        var source = Synthetic("a.tgz", CommitTime, extra: writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "other/values.yaml") { DataStream = new MemoryStream([1]) }));

        Assert.Contains("exactly one chart folder", Assert.Throws<ChartPackageException>(
            () => ReproducibleChartPackage.Repack(source, PathOf("out.tgz"), CommitTime)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Path_traversal_is_refused()
    {
        var source = Synthetic("a.tgz", CommitTime, extra: writer =>
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "demo/../../evil") { DataStream = new MemoryStream([1]) }));

        Assert.Contains("escapes", Assert.Throws<ChartPackageException>(
            () => ReproducibleChartPackage.Repack(source, PathOf("out.tgz"), CommitTime)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_an_archive_is_refused()
    {
        File.WriteAllText(PathOf("bad.tgz"), "not gzip");

        Assert.Contains("not a gzipped tar", Assert.Throws<ChartPackageException>(
            () => ReproducibleChartPackage.Repack(PathOf("bad.tgz"), PathOf("out.tgz"), CommitTime)).Message, StringComparison.Ordinal);
    }
}
