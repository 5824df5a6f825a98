using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Testing;

/// <summary>
/// <c>./build.sh</c> of a throwaway repository as a real process, with GitHub Actions' variables removed (a test run inside
/// Actions must not change the build's defaults), its output kept and watched, and signals sent to it the way a terminal or a
/// runner sends them. Linked into each test project that needs it.
/// </summary>
internal sealed class BuildProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> _watches = [];

    private BuildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <param name="environment">Added to (or replacing in) the test's own environment, after GitHub's, <c>CI</c>, <c>KUBECONFIG</c> and <c>SLIPWAY_*</c> are removed.</param>
    public static BuildProcess Start(string root, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "build.sh")) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("GITHUB_", StringComparison.Ordinal) || name is "CI" or "KUBECONFIG" || name.StartsWith("SLIPWAY_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return new BuildProcess(Process.Start(start)!);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string root, IReadOnlyDictionary<string, string>? environment, TimeSpan limit, params string[] args)
    {
        using var build = Start(root, environment, args);
        var exitCode = await build.WaitAsync(limit);
        return (exitCode, build.Output);
    }

    /// <summary>Waits for the build to exit by itself; kills it and fails when it takes longer than <paramref name="limit"/>.</summary>
    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./build.sh did not exit within {limit.TotalSeconds:0} s:\n{Output}");
        }

        // The output readers finish after the exit; wait for the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>The first output line (from now on or already printed) matching <paramref name="pattern"/>; fails when the build exits or <paramref name="limit"/> passes first.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan limit)
    {
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (pattern.Match(_output.ToString()) is { Success: true } already)
                return already;
            _watches.Add((pattern, seen));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(limit));
        if (first == seen.Task)
            return await seen.Task;
        throw new TimeoutException($"./build.sh {(first == exited ? "exited" : $"ran {limit.TotalSeconds:0} s")} without printing a line matching '{pattern}':\n{Output}");
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Whether a process with this id still exists (a zombie awaiting its parent counts as gone).</summary>
    public static bool IsRunning(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
            return false;
        try
        {
            return !File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("zombie", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void KillIfRunning(int pid)
    {
        if (IsRunning(pid))
            Kill(pid, SigKill);
    }

    /// <summary>Live processes (zombies left out) whose environment holds <paramref name="entry"/> (<c>NAME=value</c>), read straight from /proc, as <c>/proc/PID/stat</c> lines.</summary>
    public static List<string> ProcessesCarrying(string entry)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(path => int.TryParse(Path.GetFileName(path), out _)))
        {
            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                var state = File.ReadAllText(Path.Combine(directory, "stat"));
                if (environment.Contains(entry) && !state[(state.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    found.Add(state);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone while looking.
            }
        }

        return found;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var watch in _watches.ToList())
            {
                if (watch.Pattern.Match(line) is { Success: true } match)
                {
                    _watches.Remove(watch);
                    watch.Seen.TrySetResult(match);
                }
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
