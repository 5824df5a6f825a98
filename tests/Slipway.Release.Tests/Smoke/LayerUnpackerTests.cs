using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Slipway.Release.Containers;

namespace Slipway.Release.Tests.Smoke;

public sealed class LayerUnpackerTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Later_layers_replace_and_whiteout_earlier_ones_and_write_through_links_inside_the_root()
    {
        Apply(Layer(
            Dir("usr/lib"),
            Link("lib", "usr/lib"),
            File("etc/keep", "keep"),
            File("etc/gone", "gone"),
            File("var/cache/old", "old"),
            Link("etc/abs", "/etc/keep")));
        Apply(Layer(
            File("etc/.wh.gone", string.Empty),
            File("var/cache/.wh..wh..opq", string.Empty),
            File("var/cache/new", "new"),
            File("lib/libx.so", "elf"),
            File("etc/keep", "replaced")));

        Assert.Equal("replaced", System.IO.File.ReadAllText(_root.Combine("etc", "keep")));
        Assert.False(System.IO.File.Exists(_root.Combine("etc", "gone")));
        Assert.Equal(["new"], Directory.GetFiles(_root.Combine("var", "cache")).Select(Path.GetFileName));
        Assert.Equal("elf", System.IO.File.ReadAllText(_root.Combine("usr", "lib", "libx.so")));
        Assert.Equal("/etc/keep", new FileInfo(_root.Combine("etc", "abs")).LinkTarget);
    }

    [Fact]
    public void An_absolute_link_is_followed_inside_the_root_not_on_this_machine()
    {
        var marker = $"/slipway-escape-{Guid.NewGuid():N}";
        Apply(Layer(Link("escape", "/"), Link("up", "../../../..")));
        Apply(Layer(File("escape/tmp/x", "inside"), File("up" + marker, "inside too")));

        Assert.Equal("inside", System.IO.File.ReadAllText(_root.Combine("tmp", "x")));
        Assert.Equal("inside too", System.IO.File.ReadAllText(_root.Path + marker));
        Assert.False(System.IO.File.Exists(marker));
    }

    [Fact]
    public void A_name_climbing_out_of_the_root_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => Apply(Layer(File("../outside", "x"))));

        Assert.Contains("outside the image root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zstd_layers_are_refused_with_the_media_type()
    {
        var error = Assert.Throws<InvalidDataException>(() => LayerUnpacker.Apply(_root.Path, new MemoryStream([1]), "application/vnd.oci.image.layer.v1.tar+zstd"));

        Assert.Contains("zstd", error.Message, StringComparison.Ordinal);
    }

    private void Apply(byte[] layer) => LayerUnpacker.Apply(_root.Path, new MemoryStream(layer), "application/vnd.oci.image.layer.v1.tar+gzip");

    private static byte[] Layer(params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
                writer.WriteEntry(entry);
        }

        return output.ToArray();
    }

    private static PaxTarEntry File(string name, string content) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
    };

    private static PaxTarEntry Dir(string name) => new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    private static PaxTarEntry Link(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };
}
