using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Oci;

namespace Slipway.Release.Registry;

/// <summary>
/// A distribution registry process of our own, on a free loopback port with storage in a fresh temporary folder,
/// optionally behind htpasswd (Basic) auth. Stopping it (or disposing it) ends the process and deletes the folder, once.
/// </summary>
public sealed class EmbeddedRegistry : IAsyncDisposable
{
    private const int LogTailLines = 20;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);

    // The shell records its pid and then becomes the registry (exec), so that pid can get a SIGTERM before any hard kill,
    // and the registry's output goes to a file that can be tailed while it runs.
    private const string Launcher = "echo $$ > \"$3\"; exec \"$0\" serve \"$1\" > \"$2\" 2>&1";

    private readonly IProcessRunner _runner;
    private readonly IBuildLog _log;
    private readonly DirectoryInfo _directory;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lazy<Task> _stop;
    private Task<ToolResult>? _process;

    private EmbeddedRegistry(IProcessRunner runner, IBuildLog log, DirectoryInfo directory, int port)
    {
        _runner = runner;
        _log = log;
        _directory = directory;
        Address = $"127.0.0.1:{port}";
        _stop = new Lazy<Task>(StopCoreAsync);
    }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>, the registry host to use in references.</summary>
    public string Address { get; }

    /// <summary>The temporary folder holding the config, the storage and the registry's log; deleted on stop.</summary>
    public string StateDirectory => _directory.FullName;

    private string ConfigPath => Path.Combine(StateDirectory, "config.yml");

    private string LogPath => Path.Combine(StateDirectory, "registry.log");

    private string PidPath => Path.Combine(StateDirectory, "registry.pid");

    private string HtpasswdPath => Path.Combine(StateDirectory, "htpasswd");

    /// <param name="binaryPath">From <see cref="RegistryBinaryProvisioner"/>.</param>
    /// <param name="createTemporaryDirectory">Makes the folder of its config and storage (a build's <c>CreateTemporaryDirectory</c>: in the run's temp root).</param>
    /// <param name="requiredCredentials">When given, the registry answers 401 (Basic) to anyone else.</param>
    public static async Task<EmbeddedRegistry> StartAsync(
        string binaryPath, IProcessRunner runner, IBuildLog log, Func<string, DirectoryInfo> createTemporaryDirectory, RegistryCredentials? requiredCredentials = null,
        CancellationToken cancellationToken = default)
    {
        // A free port can be taken by someone else between probing and binding; a fresh one on the next try fixes that.
        // The registry exits 1 for every startup failure, so its own message is the only way to tell this one apart.
        for (var attempt = 1; ; attempt++)
        {
            var registry = new EmbeddedRegistry(runner, log, createTemporaryDirectory("slipway-registry-"), FreeLoopbackPort());
            try
            {
                await registry.LaunchAsync(binaryPath, requiredCredentials, cancellationToken);
                log.Info($"Embedded registry listening on {registry.Address}{(requiredCredentials is null ? string.Empty : " (htpasswd auth)")}.");
                return registry;
            }
            catch (EmbeddedRegistryException exception) when (attempt < 3 && exception.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                await registry.StopAsync();
            }
            catch
            {
                await registry.StopAsync();
                throw;
            }
        }
    }

    /// <summary>Ends the process (SIGTERM, then a process-tree kill if it lingers) and deletes its folder; safe to call again.</summary>
    public Task StopAsync() => _stop.Value;

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task LaunchAsync(string binaryPath, RegistryCredentials? requiredCredentials, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(ConfigPath, Config(requiredCredentials is not null), cancellationToken);
        if (requiredCredentials is not null)
            await File.WriteAllTextAsync(HtpasswdPath, Htpasswd.Entry(requiredCredentials) + "\n", cancellationToken);

        _process = _runner.RunAsync(
            new ToolCommand("/bin/sh", "-c", Launcher, binaryPath, ConfigPath, LogPath, PidPath) { ThrowOnFailure = false, StreamOutput = false },
            _lifetime.Token);
        await WaitUntilReadyAsync(cancellationToken);
    }

    private string Config(bool withAuth)
    {
        var config = $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Quote(Path.Combine(StateDirectory, "data"))}
            http:
              addr: {Quote(Address)}
              secret: {Quote(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))}

            """;
        return withAuth
            ? config + $"""
                auth:
                  htpasswd:
                    realm: slipway
                    path: {Quote(HtpasswdPath)}

                """
            : config;
    }

    private static string Quote(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var probe = new Uri($"http://{Address}/v2/");
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            if (_process!.IsCompleted)
            {
                var exit = (await _process).ExitCode;
                throw new EmbeddedRegistryException($"The embedded registry exited with code {exit} before it was ready:{Environment.NewLine}{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(probe, cancellationToken);
                // 401 is ready too: an htpasswd registry asks for credentials even at the API root.
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
                throw new EmbeddedRegistryException($"The embedded registry did not answer {probe} within {ReadyTimeout.TotalSeconds:0} s:{Environment.NewLine}{LogTail()}");
            await Task.Delay(100, cancellationToken);
        }
    }

    private string LogTail()
    {
        var lines = File.Exists(LogPath) ? File.ReadLines(LogPath).TakeLast(LogTailLines).ToList() : [];
        return lines.Count == 0 ? "(the registry wrote nothing)" : string.Join(Environment.NewLine, lines);
    }

    private async Task StopCoreAsync()
    {
        if (_process is not null)
        {
            if (!_process.IsCompleted && File.Exists(PidPath) && int.TryParse(File.ReadAllText(PidPath).Trim(), out var pid))
                await _runner.RunAsync(new ToolCommand("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)) { ThrowOnFailure = false, StreamOutput = false });
            if (await Task.WhenAny(_process, Task.Delay(GracefulStopTimeout)) != _process)
            {
                _log.Warning($"The embedded registry on {Address} ignored SIGTERM for {GracefulStopTimeout.TotalSeconds:0} s; killing it.");
                await _lifetime.CancelAsync();
            }

            try
            {
                await _process;
            }
            catch (Exception exception) when (exception is OperationCanceledException or ToolFailedException)
            {
                // Killed above as intended, or it never started (that failure was reported by the start itself).
            }
        }

        _lifetime.Dispose();
        _directory.Delete(recursive: true);
        _log.Debug($"Embedded registry on {Address} stopped; {StateDirectory} removed.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
