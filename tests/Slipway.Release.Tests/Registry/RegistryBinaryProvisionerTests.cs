using Slipway.Processes;
using Slipway.Release.Registry;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Registry;

public sealed class RegistryBinaryProvisionerTests : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("slipway-toolcache-");

    public void Dispose() => _cache.Delete(recursive: true);

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Fetches_debians_package_into_the_tool_cache_once_and_reuses_it()
    {
        var log = new RecordingLog();
        var runner = new ProcessRunner(log, new SecretRegistry());

        var fetched = await new RegistryBinaryProvisioner(runner, new ToolCache(_cache.FullName), log, searchPath: []).ProvisionAsync();
        var linesAfterFetch = log.Lines.Count;
        var reused = await new RegistryBinaryProvisioner(runner, new ToolCache(_cache.FullName), log, searchPath: []).ProvisionAsync();

        Assert.StartsWith(Path.Combine(_cache.FullName, "docker-registry", "2."), fetched, StringComparison.Ordinal);
        Assert.EndsWith("/usr/bin/docker-registry", fetched, StringComparison.Ordinal);
        Assert.Equal(fetched, reused);
        Assert.DoesNotContain(log.Lines.Skip(linesAfterFetch), line => line.Contains("apt-get", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(_cache.FullName, "docker-registry")), directory => directory.Contains(".staging-", StringComparison.Ordinal));
        var version = await runner.RunAsync(new ToolCommand(fetched, "--version") { StreamOutput = false });
        Assert.Contains("github.com/docker/distribution", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_exactly_what_to_install_when_nothing_works()
    {
        var log = new RecordingLog();

        var error = await Assert.ThrowsAsync<EmbeddedRegistryException>(
            () => new RegistryBinaryProvisioner(new NothingInstalledRunner(), new ToolCache(_cache.FullName), log, searchPath: []).ProvisionAsync());

        Assert.Contains("apt-get install docker-registry", error.Message, StringComparison.Ordinal);
        Assert.Contains("registry:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Could not start 'apt-get'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_cache.FullName, "docker-registry"), ".staging-*"));
    }

    /// <summary>A machine without apt: every tool fails to start, as the real runner reports it.</summary>
    private sealed class NothingInstalledRunner : IProcessRunner
    {
        public Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken = default) =>
            throw new ToolFailedException($"Could not start '{command.FileName}': No such file or directory. Is it installed and on PATH?", null);
    }
}
