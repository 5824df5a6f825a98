using System.Net;
using System.Net.Sockets;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Kubernetes;
using Slipway.Release.Smoke;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// <c>kubectl port-forward</c> to a Service for as long as the smoke needs it: started on free local ports, ready once
/// every port accepts connections, restarted once if it drops (a pod restart or an API server hiccup ends kubectl's
/// stream), and stopped, killing kubectl, when disposed. To the smoke contract it is the app: it "has exited" when it
/// dropped and could not be restarted.
/// </summary>
public sealed class PortForwardSession(IKubectlCli kubectl, string inNamespace, string target, IReadOnlyList<PortMapping> ports, IBuildLog log) : ISmokeTarget, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private Task<ToolResult>? _running;
    private CancellationTokenSource? _current;
    private string _lastOutput = string.Empty;
    private int _starts;

    public TimeSpan AcceptTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxStarts { get; init; } = 2;

    public string Platform => $"{target} in {inNamespace}";

    /// <summary>How often kubectl was started (1, or 2 after a restart).</summary>
    public int Starts
    {
        get
        {
            lock (_gate)
                return _starts;
        }
    }

    public bool HasExited
    {
        get
        {
            lock (_gate)
                return _running is { IsCompleted: true } && _starts >= MaxStarts;
        }
    }

    public int? ExitCode
    {
        get
        {
            lock (_gate)
                return _running is { IsCompletedSuccessfully: true } done ? done.Result.ExitCode : null;
        }
    }

    /// <summary>Starts kubectl and waits until every local port accepts; a start that fails uses up the restart.</summary>
    /// <exception cref="PrSmokeException">kubectl exited, or a port did not accept within <see cref="AcceptTimeout"/>, on every allowed start.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Task<ToolResult>? running;
        lock (_gate)
            running = Launch();
        while (running is not null)
        {
            if (await AcceptingAsync(running, cancellationToken))
            {
                log.Info($"Port-forward {target}: {string.Join(", ", ports.Select(port => $"127.0.0.1:{port.Local} -> {port.Remote}"))}");
                return;
            }

            running = Restart(running);
        }

        throw new PrSmokeException($"kubectl port-forward {target} -n {inNamespace} did not accept connections on 127.0.0.1:{string.Join(", ", ports.Select(port => port.Local))} (started {Starts} times): {Tail()}");
    }

    public IReadOnlyList<string> OutputTail(int lines = 20) =>
        [.. Tail().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines).Select(line => $"kubectl port-forward: {line}")];

    /// <summary>The pod's ports are not this machine's: nothing can be said about where the app listens.</summary>
    public IReadOnlyList<int> ListeningPorts() => [];

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        Task<ToolResult>? running;
        lock (_gate)
            running = _running;
        if (running is not null)
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // Stopped as intended: the runner killed kubectl.
            }
        }

        lock (_gate)
            _current?.Dispose();
        _lifetime.Dispose();
    }

    /// <summary>Starts kubectl; called under the gate.</summary>
    private Task<ToolResult> Launch()
    {
        _starts++;
        // Each start has its own token, so a start that hangs without accepting can be stopped before the next one.
        _current?.Cancel();
        _current?.Dispose();
        _current = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var running = kubectl.PortForwardAsync(inNamespace, target, ports, _current.Token);
        _running = running;
        // A drop while the smoke runs gets the one restart, without waiting for the smoke to notice.
        _ = running.ContinueWith(Dropped, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return running;
    }

    private void Dropped(Task<ToolResult> finished)
    {
        if (finished.IsCompletedSuccessfully)
        {
            lock (_gate)
                _lastOutput = (finished.Result.StandardError + "\n" + finished.Result.StandardOutput).Trim();
        }

        lock (_gate)
        {
            if (_running != finished)
                return;
        }

        if (!_lifetime.IsCancellationRequested && Restart(finished) is not null)
            log.Warning($"Port-forward {target} dropped ({Tail()}); restarted it.");
    }

    /// <summary>
    /// The kubectl to wait for after <paramref name="failed"/> gave up: one already restarted by someone else, a new
    /// one when a start is left, or null. Decided under the gate, so a drop and a failed start never both restart it.
    /// </summary>
    private Task<ToolResult>? Restart(Task<ToolResult> failed)
    {
        lock (_gate)
        {
            if (_running != failed)
                return _running;
            return _starts >= MaxStarts || _lifetime.IsCancellationRequested ? null : Launch();
        }
    }

    private async Task<bool> AcceptingAsync(Task<ToolResult> running, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + AcceptTimeout;
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port.Local, cancellationToken))
            {
                if (running.IsCompleted || DateTime.UtcNow > deadline)
                    return false;
                await Task.Delay(100, cancellationToken);
            }
        }

        return true;
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string Tail()
    {
        lock (_gate)
            return _lastOutput.Length == 0 ? "no output" : _lastOutput;
    }
}
