using System.Globalization;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Containers;

namespace Slipway.Release.Smoke;

/// <summary>
/// An image process started by <see cref="ImageRunner"/>. Stopping (or disposing) sends SIGTERM, kills the process tree
/// after the grace period, and deletes its rootfs and state folder, once, whatever happened before.
/// </summary>
public sealed class RunningImage : ISmokeTarget, IAsyncDisposable
{
    private readonly IProcessRunner _runner;
    private readonly IBuildLog _log;
    private readonly ImageRootfs _rootfs;
    private readonly DirectoryInfo _state;
    private readonly CancellationTokenSource _lifetime;
    private readonly TimeSpan _grace;
    private readonly Lazy<Task> _stop;
    private Task<ToolResult> _process = null!;
    private IReadOnlyList<string>? _finalOutput;

    private RunningImage(IProcessRunner runner, IBuildLog log, ImageRootfs rootfs, DirectoryInfo state, IReadOnlyList<string> notes, TimeSpan grace, CancellationToken cancellationToken)
    {
        _runner = runner;
        _log = log;
        _rootfs = rootfs;
        _grace = grace;
        Notes = notes;
        _state = state;
        // Cancelling the caller's token kills the process tree at once; the caller's dispose then cleans up.
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop = new Lazy<Task>(StopCoreAsync);
    }

    public string Platform => _rootfs.Config.Platform;

    public string RootPath => _rootfs.RootPath;

    /// <summary>The pid of the app (kept through every exec from the launcher on); null if it never got that far.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>What differs from how a cluster would run it (skipped secrets, user not applied, ...).</summary>
    public IReadOnlyList<string> Notes { get; }

    public bool HasExited => _process.IsCompleted;

    /// <summary>The exit code once it has exited (-1 when killed), else null.</summary>
    public int? ExitCode => _process.IsCompletedSuccessfully ? _process.Result.ExitCode : _process.IsCompleted ? -1 : null;

    /// <summary>How it stopped, once stopped: "exited by itself with code N", "stopped by SIGTERM", "killed after ...".</summary>
    public string? StopReport { get; private set; }

    private string LogPath => Path.Combine(_state.FullName, "output.log");

    private string PidPath => Path.Combine(_state.FullName, "pid");

    internal static async Task<RunningImage> LaunchAsync(
        IProcessRunner runner, IBuildLog log, ImageRootfs rootfs, DirectoryInfo state, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, IReadOnlyList<string> notes, TimeSpan grace, CancellationToken cancellationToken)
    {
        var image = new RunningImage(runner, log, rootfs, state, notes, grace, cancellationToken);
        try
        {
            // Exactly the image's and chart's env: everything this machine's process has is removed.
            var variables = System.Environment.GetEnvironmentVariables().Keys.Cast<string>().ToDictionary(key => key, _ => (string?)null, StringComparer.Ordinal);
            foreach (var (name, value) in environment)
                variables[name] = value;
            image._process = runner.RunAsync(
                new ToolCommand("/bin/sh", ["-c", Launcher, image.PidPath, image.LogPath, .. command])
                {
                    WorkingDirectory = workingDirectory,
                    Environment = variables,
                    ThrowOnFailure = false,
                    StreamOutput = false,
                },
                image._lifetime.Token);
            image.ProcessId = await image.WaitForPidAsync();
            return image;
        }
        catch
        {
            await image.StopAsync();
            throw;
        }
    }

    // The shell records its pid, then becomes the command (exec) with output to a file: that pid gets the SIGTERM, the
    // file can be tailed while it runs, and every later exec (unshare, setpriv, the app) keeps the pid.
    private const int FinalOutputLines = 200;

    private const string Launcher = "echo $$ > \"$0\"; log=\"$1\"; shift; exec \"$@\" > \"$log\" 2>&1";

    /// <summary>The last lines the process wrote (stdout and stderr together).</summary>
    public IReadOnlyList<string> OutputTail(int lines = 20)
    {
        if (_finalOutput is not null)
            return _finalOutput.TakeLast(lines).ToList();
        try
        {
            if (!File.Exists(LogPath))
                return [];
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return all.TakeLast(lines).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>TCP ports the process listens on now.</summary>
    public IReadOnlyList<int> ListeningPorts() => ProcessId is { } pid && !HasExited ? Smoke.ListeningPorts.Of(pid) : [];

    /// <summary>SIGTERM, kill after the grace period, delete the rootfs; safe to call again.</summary>
    public Task StopAsync() => _stop.Value;

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<int?> WaitForPidAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(PidPath) && int.TryParse((await File.ReadAllTextAsync(PidPath)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                return pid;
            if (_process.IsCompleted)
                break;
            await Task.Delay(20);
        }

        return null;
    }

    private async Task StopCoreAsync()
    {
        try
        {
            if (_process is not null)
            {
                if (_process.IsCompleted)
                {
                    StopReport = $"had exited by itself (code {ExitCode})";
                }
                else
                {
                    if (ProcessId is { } pid)
                    {
                        await _runner.RunAsync(new ToolCommand("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture)) { ThrowOnFailure = false, StreamOutput = false });
                    }

                    if (await Task.WhenAny(_process, Task.Delay(_grace)) == _process)
                    {
                        StopReport = $"stopped by SIGTERM (exit code {ExitCode})";
                    }
                    else
                    {
                        _log.Warning($"The {Platform} image process ignored SIGTERM for {_grace.TotalSeconds:0} s; killing its process tree.");
                        StopReport = $"ignored SIGTERM for {_grace.TotalSeconds:0} s and was killed";
                        await _lifetime.CancelAsync();
                    }
                }

                try
                {
                    await _process;
                }
                catch (Exception exception) when (exception is OperationCanceledException or ToolFailedException)
                {
                    // Killed as intended (by us, or by the caller's cancellation).
                }
            }
        }
        finally
        {
            // The log goes with the state folder; its end stays readable for reports after the stop.
            _finalOutput = OutputTail(FinalOutputLines);
            _lifetime.Dispose();
            _rootfs.Dispose();
            _state.Delete(recursive: true);
            _log.Debug($"The {Platform} image process {StopReport ?? "never started"}; its rootfs was removed.");
        }
    }
}
