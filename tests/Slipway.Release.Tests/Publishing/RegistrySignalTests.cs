using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Slipway.Release.Tests.Registry;
using Slipway.Testing;

namespace Slipway.Release.Tests.Publishing;

/// <summary>SIGTERM to ./build.sh while the embedded registry runs: the cleanup stops it and removes its storage, and the exit code says SIGTERM.</summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed partial class RegistrySignalTests : IDisposable
{
    private const int SigTerm = 15;

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
        WriteFixtureBuild();
        // Compiled first, so the signalled run below is the build alone (the compile's own MSBuild temp files are not the run's).
        using (var compile = Process.Start(new ProcessStartInfo(Path.Combine(_root, "build.sh"), "--help") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await compile.StandardOutput.ReadToEndAsync();
            await compile.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        }

        var start = new ProcessStartInfo(Path.Combine(_root, "build.sh"), "Hold")
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The build's own temp folder: its run's temp root, with the registry's storage, must be gone after the signal.
        start.Environment["TMPDIR"] = _temporary;
        using var build = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        build.OutputDataReceived += (_, line) =>
        {
            lock (output)
                output.AppendLine(line.Data);
            if (line.Data?.Contains("holding the registry", StringComparison.Ordinal) == true)
                holding.TrySetResult();
        };
        build.ErrorDataReceived += (_, line) =>
        {
            lock (output)
                output.AppendLine(line.Data);
        };
        build.BeginOutputReadLine();
        build.BeginErrorReadLine();

        await holding.Task.WaitAsync(TimeSpan.FromMinutes(4));
        var address = AddressPattern().Match(Text(output)).Groups["address"].Value;
        Assert.True(Accepts(address), $"the registry at {address} answers while the build holds it");
        Assert.True(Kill(build.Id, SigTerm) == 0, "SIGTERM sent");
        await build.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(build.ExitCode == ExitCodes.Terminated, Text(output));
        Assert.Contains("stopped and its storage removed", Text(output));
        Assert.False(Accepts(address), $"nothing listens on {address} any more");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temporary));
    }

    // The engine and components exactly as this test assembly was built against them.
    private void WriteFixtureBuild() =>
        TestRepository.WriteBuild(_root, BuildSource, "Slipway", "Slipway.Release", "CliWrap", "YamlDotNet", "KubernetesClient", "BCrypt-Net-Next");

    private static string Text(System.Text.StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }

    private static bool Accepts(string address)
    {
        var (host, port) = (address.Split(':')[0], int.Parse(address.Split(':')[1]));
        try
        {
            using var client = new TcpClient();
            client.Connect(host, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Embedded registry listening on (?<address>127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
