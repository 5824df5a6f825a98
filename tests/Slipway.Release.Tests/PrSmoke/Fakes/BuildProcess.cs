using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Slipway.Release.Tests.PrSmoke.Fakes;

/// <summary>
/// <c>./build.sh</c> of a workspace as a real process, with GitHub Actions' variables removed (a test run inside
/// Actions must not change the lane's defaults), its output kept, and signals sent to it the way a runner sends them.
/// </summary>
internal sealed class BuildProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BuildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

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
            _output.AppendLine(line);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
