using System.Text.RegularExpressions;
using Slipway.Release.Tests.Registry;
using Slipway.Testing;

namespace Slipway.Release.Tests.Publishing;

/// <summary>SIGTERM to ./build.sh while the embedded registry runs: the cleanup stops it and removes its storage, and the exit code says SIGTERM.</summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed partial class RegistrySignalTests : IDisposable
{
    private const string BuildSource = """
        using Slipway;
        using Slipway.Release.Registry;

        class Build : SlipwayBuild, IPublishRegistry
        {
            public static int Main(string[] args) => Execute<Build>(args, x => x.Hold);

            Target Hold => _ => _
                .DependsOn(this.From<IPublishRegistry>().PublishRegistry)
                .Executes(async ct =>
                {
                    Log.Info("holding the registry");
                    await Task.Delay(Timeout.Infinite, ct);
                });
        }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("slipway-signal-").FullName;
    private readonly string _temporary = Directory.CreateTempSubdirectory("slipway-signal-tmp-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_temporary, recursive: true);
    }

    [Fact]
    public async Task Sigterm_while_the_embedded_registry_runs_leaves_no_registry_process_and_no_temp_dir()
    {
        TestRepository.WriteBuild(_root, BuildSource, "Slipway", "Slipway.Release", "CliWrap", "YamlDotNet", "KubernetesClient", "BCrypt-Net-Next");
        // Compiled first, so the signalled run below is the build alone (the compile's own MSBuild temp files are not the run's).
        await BuildProcess.RunAsync(_root, null, TimeSpan.FromMinutes(4), "--help");

        // The build's own temp folder: its run's temp root, with the registry's storage, must be gone after the signal.
        using var build = BuildProcess.Start(_root, new Dictionary<string, string> { ["TMPDIR"] = _temporary }, "Hold");
        var address = (await build.WaitForLineAsync(AddressPattern(), TimeSpan.FromMinutes(4))).Groups["address"].Value;
        await build.WaitForLineAsync(HoldingPattern(), TimeSpan.FromMinutes(1));
        Assert.True(Listening.Accepts(address), $"the registry at {address} answers while the build holds it");
        build.Signal(BuildProcess.SigTerm);
        var exitCode = await build.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(exitCode == ExitCodes.Terminated, build.Output);
        Assert.Contains("stopped and its storage removed", build.Output);
        Assert.False(Listening.Accepts(address), $"nothing listens on {address} any more");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temporary));
    }

    [GeneratedRegex(@"Embedded registry listening on (?<address>127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("holding the registry")]
    private static partial Regex HoldingPattern();
}
