using System.Net;
using System.Net.Sockets;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Smoke;
using Slipway.Release.Tools;
using Slipway.Secrets;
using Xunit.Abstractions;

namespace Slipway.Release.Tests.Smoke;

[Collection(ImageSmokeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImageSmokeIntegrationTests(BeaconImageFixture beacon, ITestOutputHelper output) : IDisposable
{
    private const string ReadinessPortField = "spec.template.spec.containers[0].readinessProbe.httpGet.port";

    private readonly RecordingLog _log = new();
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private ImageRunner Runner => new(new ProcessRunner(_log, new SecretRegistry()), _log, new QemuProvisioner(new ProcessRunner(_log, new SecretRegistry()), ToolCache.Default, _log), Directory.CreateTempSubdirectory);

    private SmokeContract Contract => new(_http, _log, BeaconImageFixture.Endpoints);

    [Fact]
    public async Task The_contract_passes_on_both_platforms_of_a_pushed_index_and_nothing_is_left_behind()
    {
        var registryBinary = await new RegistryBinaryProvisioner(beacon.Runner, ToolCache.Default, _log).ProvisionAsync();
        await using var registry = await EmbeddedRegistry.StartAsync(registryBinary, beacon.Runner, _log, Directory.CreateTempSubdirectory);
        var client = new OciRegistryClient(_http, new SecretRegistry(), _log);
        var index = await beacon.PushIndexAsync(client, registry.Address);
        var spec = RunSpec.FromRenderedChart(beacon.DefaultRender);
        var before = Leftovers();

        var outcomes = await new ImageSmoke(client, Runner, Contract, Directory.CreateTempSubdirectory, _log).RunAsync(index, spec, beacon.Expected);

        Assert.Equal(["linux/amd64", "linux/arm64"], outcomes.Select(outcome => outcome.Platform));
        Assert.All(outcomes, outcome => Assert.True(outcome is PlatformSmokeOutcome.Passed, outcome.ToString()));
        var versionCheck = ((PlatformSmokeOutcome.Passed)outcomes[1]).Result.Checks.Single(check => check.Name == "GET /version");
        Assert.Contains($"chart_version={beacon.ChartVersion}", versionCheck.Message, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, line => line.Contains("Started linux/arm64 image under qemu user emulation", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains("Started linux/amd64 image natively in a mount namespace", StringComparison.Ordinal)
            && line.Contains("emptyDir tmpfs at /tmp, read-only root", StringComparison.Ordinal) && line.Contains("as 10001:10001", StringComparison.Ordinal));
        Assert.Equal(before, Leftovers());
        Assert.Empty(ProcessesUnder("slipway-rootfs-"));
    }

    [Fact]
    public async Task A_chart_env_name_the_app_does_not_read_fails_naming_the_env()
    {
        var render = await beacon.RenderAsync(template => template.Replace("- name: CHART_VERSION", "- name: BEACON_CHART_VERSION", StringComparison.Ordinal));
        var (result, root) = await SmokeAsync(render);

        var failure = Assert.Single(result.Failures);
        Assert.Equal("GET /version", failure.Name);
        Assert.Contains("/version chart_version is 'none' but the chart sets BEACON_CHART_VERSION=0.1.0 (env BEACON_CHART_VERSION", failure.Message, StringComparison.Ordinal);
        Assert.Contains("spec.template.spec.containers[0].env[0]", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task A_readiness_probe_on_a_port_the_app_does_not_listen_on_fails_naming_the_probe_field()
    {
        var render = await beacon.RenderAsync(template => template.Replace(
            "readinessProbe:\n            httpGet:\n              path: /ready\n              port: http", "readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8081", StringComparison.Ordinal));
        var (result, root) = await SmokeAsync(render);

        var failure = Assert.Single(result.Failures);
        Assert.Contains($"the chart's readinessProbe port 8081 ({ReadinessPortField}) refused connections: the app listens on 8080", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Now listening on", failure.Message, StringComparison.Ordinal); // the app's own log
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task A_platform_without_an_emulator_is_skipped_with_the_reason_and_its_rootfs_deleted()
    {
        var rootfs = Slipway.Release.Containers.ImageRootfs.Adopt(Directory.CreateTempSubdirectory("slipway-test-rootfs-").FullName, BeaconImageFixture.Config("wasm32"));

        var launch = await Runner.StartAsync(rootfs, RunSpec.FromRenderedChart(beacon.DefaultRender));

        var skipped = Assert.IsType<ImageLaunch.Skipped>(launch);
        Assert.Equal("linux/wasm32", skipped.Platform);
        Assert.Contains("no qemu for it: qemu has no user-mode emulator for architecture 'wasm32'", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains(_log.Lines, line => line.StartsWith("warning: Image smoke for linux/wasm32 SKIPPED", StringComparison.Ordinal));
        Assert.False(Directory.Exists(rootfs.RootPath));
    }

    [Fact]
    public async Task A_chart_port_taken_on_this_machine_fails_before_starting_saying_so()
    {
        var spec = RunSpec.FromRenderedChart(beacon.DefaultRender);
        using var squatter = new TcpListener(IPAddress.IPv6Any, spec.Ports[0].Number);
        squatter.Server.DualMode = true;
        squatter.Start();
        var rootfs = await beacon.NewRootfsAsync("amd64");

        var error = await Assert.ThrowsAsync<ImageRunException>(() => Runner.StartAsync(rootfs, spec));

        Assert.Contains("Port 8080 (spec.template.spec.containers[0].ports[0].containerPort) is already in use on this machine", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(rootfs.RootPath));
    }

    [Fact]
    public async Task Cancelling_kills_the_running_image_and_its_rootfs_is_deleted()
    {
        var spec = RunSpec.FromRenderedChart(beacon.DefaultRender);
        var rootfs = await beacon.NewRootfsAsync("amd64");
        using var cancellation = new CancellationTokenSource();
        var image = ((ImageLaunch.Started)await Runner.StartAsync(rootfs, spec, cancellation.Token)).Image;
        await using (image)
        {
            Assert.True((await Contract.CheckAsync(image, spec, beacon.Expected)).Passed);
            var pid = image.ProcessId!.Value;

            await cancellation.CancelAsync();
            await image.StopAsync();

            Assert.False(Directory.Exists($"/proc/{pid}"), "the image process still runs");
            Assert.True(image.HasExited);
        }

        Assert.False(Directory.Exists(rootfs.RootPath));
    }

    [Fact]
    public async Task A_graceful_stop_uses_sigterm_and_runs_as_the_charts_user()
    {
        var spec = RunSpec.FromRenderedChart(beacon.DefaultRender);
        var rootfs = await beacon.NewRootfsAsync("amd64");
        var image = ((ImageLaunch.Started)await Runner.StartAsync(rootfs, spec)).Image;
        await using (image)
        {
            Assert.True((await Contract.CheckAsync(image, spec, beacon.Expected)).Passed);
            var status = await File.ReadAllLinesAsync($"/proc/{image.ProcessId}/status");
            Assert.Contains(status, line => line.StartsWith("Uid:\t10001\t10001", StringComparison.Ordinal));
            Assert.Contains(status, line => line.StartsWith("Gid:\t10001\t10001", StringComparison.Ordinal));
            Assert.Contains(status, line => line.TrimEnd() == "Groups:");
        }

        Assert.StartsWith("stopped by SIGTERM", image.StopReport, StringComparison.Ordinal);
        Assert.Contains(image.OutputTail(50), line => line.Contains("Application is shutting down", StringComparison.Ordinal));
        Assert.False(Directory.Exists(rootfs.RootPath));
    }

    [Fact]
    public async Task The_native_root_is_read_only_with_a_writable_empty_dir_as_the_chart_says()
    {
        var spec = RunSpec.FromRenderedChart(beacon.DefaultRender);
        Assert.True(spec.ReadOnlyRootFilesystem);
        Assert.Equal(["/tmp"], spec.EmptyDirMounts);
        var rootfs = await beacon.NewRootfsAsync("amd64");
        var image = ((ImageLaunch.Started)await Runner.StartAsync(rootfs, spec)).Image;
        await using (image)
        {
            Assert.True((await Contract.CheckAsync(image, spec, beacon.Expected)).Passed);
            var mounts = await File.ReadAllLinesAsync($"/proc/{image.ProcessId}/mounts");
            Assert.Contains(mounts, line => line.Split(' ') is [_, "/", _, var options, ..] && options.Split(',').Contains("ro"));
            Assert.Contains(mounts, line => line.Split(' ') is [_, "/tmp", "tmpfs", var options, ..] && options.Split(',').Contains("rw"));
        }

        Assert.False(Directory.Exists(rootfs.RootPath));
    }

    private async Task<(SmokeResult Result, string Root)> SmokeAsync(string render)
    {
        var spec = RunSpec.FromRenderedChart(render);
        var rootfs = await beacon.NewRootfsAsync("amd64");
        var launch = Assert.IsType<ImageLaunch.Started>(await Runner.StartAsync(rootfs, spec));
        await using var image = launch.Image;
        var result = await new SmokeContract(_http, _log, BeaconImageFixture.Endpoints) { ReadyTimeout = TimeSpan.FromSeconds(30) }.CheckAsync(image, spec, beacon.Expected);
        output.WriteLine(result.ToString());
        Assert.False(result.Passed, result.ToString());
        await image.StopAsync();
        return (result, rootfs.RootPath);
    }

    private static HashSet<string> Leftovers() =>
        Directory.EnumerateDirectories(Path.GetTempPath())
            .Select(Path.GetFileName)
            .Where(name => name!.StartsWith("slipway-rootfs-", StringComparison.Ordinal) || name.StartsWith("slipway-run-", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal)!;

    private static List<string> ProcessesUnder(string marker) =>
        Directory.EnumerateDirectories("/proc")
            .Where(directory => int.TryParse(Path.GetFileName(directory), out _))
            .Select(directory =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return string.Empty;
                }
            })
            .Where(commandLine => commandLine.Contains(marker, StringComparison.Ordinal))
            .ToList();
}
