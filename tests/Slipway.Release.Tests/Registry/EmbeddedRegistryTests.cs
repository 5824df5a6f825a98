using System.Net;
using Slipway.Processes;
using Slipway.Release.Registry;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Registry;

[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EmbeddedRegistryTests(RegistryBinaryFixture binary)
{
    private readonly RecordingLog _log = new();

    private ProcessRunner Runner => new(_log, new SecretRegistry());

    [Fact]
    public async Task Start_then_stop_leaves_no_process_and_no_folder()
    {
        using var runTemporary = new TempDirectory();
        var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, Runner, _log, runTemporary.CreateDirectory);
        Assert.StartsWith(Path.Combine(runTemporary.Path, "slipway-registry-"), registry.StateDirectory, StringComparison.Ordinal);
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(registry.StateDirectory, "registry.pid")), System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{registry.Address}/v2/")).StatusCode);
        Assert.True(Directory.Exists($"/proc/{pid}"));

        await registry.StopAsync();
        await registry.DisposeAsync();

        Assert.False(Directory.Exists(registry.StateDirectory));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"registry process {pid} is still alive");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://{registry.Address}/v2/"));
    }

    [Fact]
    public async Task A_registry_that_cannot_start_fails_with_its_output_and_cleans_up()
    {
        var before = TemporaryRegistryFolders();

        var error = await Assert.ThrowsAsync<EmbeddedRegistryException>(() => EmbeddedRegistry.StartAsync("/nonexistent/docker-registry", Runner, _log, Directory.CreateTempSubdirectory));

        Assert.Contains("exited with code 127", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/docker-registry", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, TemporaryRegistryFolders());
    }

    private static string[] TemporaryRegistryFolders() =>
        [.. Directory.EnumerateDirectories(Path.GetTempPath(), "slipway-registry-*").Order(StringComparer.Ordinal)];
}
