namespace Slipway.Execution;

/// <summary>
/// How a run is asked to stop. The first signal cancels: running targets stop, cleanups run within the cancellation budget.
/// The second hurries (GitHub Actions sends SIGTERM 7.5 s after SIGINT, then SIGKILL 2.5 s later; a user presses Ctrl+C
/// twice): every wait is cut short, but process trees are still killed and temp state is still removed. Later ones change nothing.
/// </summary>
internal sealed class RunSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _hurry = new();
    private CancellationTokenRegistration _caller;
    private int _received;

    public CancellationToken Cancelled => _cancel.Token;

    public CancellationToken Hurried => _hurry.Token;

    /// <summary>The exit code of the first signal; null while none came.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>What the first stop request was (SIGINT, SIGTERM, cancellation), for the log.</summary>
    public string? First { get; private set; }

    /// <summary>What the second one was.</summary>
    public string? Second { get; private set; }

    /// <summary>For a run in this process: cancelling the caller's token acts as the first signal.</summary>
    public static RunSignals From(CancellationToken cancellation)
    {
        var signals = new RunSignals();
        signals._caller = cancellation.Register(() => signals.Receive("cancellation", ExitCodes.Interrupted));
        return signals;
    }

    public void Receive(string signal, int exitCode)
    {
        switch (Interlocked.Increment(ref _received))
        {
            case 1:
                (First, ExitCode) = (signal, exitCode);
                _cancel.Cancel();
                break;
            case 2:
                Second = signal;
                _hurry.Cancel();
                break;
        }
    }

    public void Dispose()
    {
        _caller.Dispose();
        _cancel.Dispose();
        _hurry.Dispose();
    }
}
