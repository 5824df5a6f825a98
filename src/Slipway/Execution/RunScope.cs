using System.Globalization;
using Slipway.Logging;
using Slipway.Execution;
using Slipway.Processes;

[assembly: Slipway.EnvironmentVariable(RunScope.MarkerVariable, "Set by the engine in every process a run starts, so that nothing the run started outlives it")]

namespace Slipway.Execution;

/// <summary>
/// What one run owns outside its own memory: a temp root (every child process's TMPDIR) and the processes it starts, which
/// carry the run's marker in their environment. Closing it stops every such process still alive and removes the temp root,
/// whatever happened before: success, failure, cancellation, a second signal.
/// </summary>
internal sealed class RunScope
{
    public const string MarkerVariable = "SLIPWAY_RUN_ID";
    public const string TemporaryDirectoryVariable = "TMPDIR";
    private const string DirectoryPrefix = "slipway-build-";
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly string? _processTemporaryDirectory;

    private RunScope(string id, string temporaryDirectory, bool ownsProcess)
    {
        Id = id;
        if (ownsProcess)
        {
            // The build's own process is the run's alone, so its temp files (and those of anything it starts) go here too.
            _processTemporaryDirectory = Environment.GetEnvironmentVariable(TemporaryDirectoryVariable);
            Environment.SetEnvironmentVariable(TemporaryDirectoryVariable, temporaryDirectory);
        }

        TemporaryDirectory = temporaryDirectory;
        OwnsProcess = ownsProcess;
        ChildEnvironment = new Dictionary<string, string> { [TemporaryDirectoryVariable] = temporaryDirectory, [MarkerVariable] = id };
    }

    public string Id { get; }

    public string TemporaryDirectory { get; }

    /// <summary>True in the build's own process (<c>./build.sh</c>): every descendant of this process is the run's.</summary>
    public bool OwnsProcess { get; }

    /// <summary>Merged into every child's environment by the process runner (a command's own values win).</summary>
    public IReadOnlyDictionary<string, string> ChildEnvironment { get; }

    /// <summary>
    /// Creates the temp root under <paramref name="systemTemp"/>: only this user may list or write it (tools put credentials
    /// in temp files, each in a folder of its own that is private too), others may pass through it, so a process that runs
    /// as another user (an image's non-root user under qemu) reaches the folder made for it.
    /// </summary>
    public static RunScope Open(string systemTemp, bool ownsProcess)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        if (!Directory.Exists(systemTemp))
            throw new DirectoryNotFoundException($"{systemTemp} does not exist.");
        var directory = Path.Combine(Path.GetFullPath(systemTemp), DirectoryPrefix + id);
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return new RunScope(id, directory, ownsProcess);
    }

    /// <summary>Stops what the run left running (SIGTERM, then SIGKILL; straight to SIGKILL once hurried), then removes the temp root.</summary>
    public async Task CloseAsync(IBuildLog log, CancellationToken hurry)
    {
        if (OwnsProcess)
            Environment.SetEnvironmentVariable(TemporaryDirectoryVariable, _processTemporaryDirectory);
        var leftovers = LeftoverProcesses.Find($"{MarkerVariable}={Id}", OwnsProcess);
        if (leftovers.Count > 0)
        {
            var survivors = await LeftoverProcesses.StopAsync(leftovers, StopGrace, hurry);
            log.Info($"Stopped {leftovers.Count} process(es) this run left running: {string.Join(", ", leftovers)}.");
            if (survivors.Count > 0)
                log.Error($"Still running after SIGKILL: {string.Join(", ", survivors)}.");
        }

        try
        {
            TemporaryFolder.Delete(TemporaryDirectory);
            log.Debug($"Removed the run's temp folder {TemporaryDirectory}.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Error($"Could not remove the run's temp folder {TemporaryDirectory}: {exception.Message}");
        }
    }
}
