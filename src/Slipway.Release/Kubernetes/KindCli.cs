using System.Globalization;
using Slipway.Processes;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Kubernetes;

/// <summary>The kind verbs a component needs, one method each; a failure is a <see cref="KindException"/> carrying kind's own words.</summary>
public interface IKindCli
{
    /// <summary><c>kind get clusters</c>: the names of the clusters on this machine's container runtime.</summary>
    Task<IReadOnlyList<string>> GetClustersAsync(CancellationToken cancellationToken);

    /// <summary><c>kind create cluster --name NAME --wait WAIT --kubeconfig FILE</c>: returns once the control plane is ready.</summary>
    Task CreateClusterAsync(string name, string kubeconfig, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary><c>kind export kubeconfig --name NAME --kubeconfig FILE</c>, for a cluster that already exists.</summary>
    Task ExportKubeconfigAsync(string name, string kubeconfig, CancellationToken cancellationToken);

    /// <summary><c>kind load image-archive ARCHIVE --name NAME</c>: imports the archive into every node's containerd.</summary>
    Task LoadImageArchiveAsync(string name, string archive, CancellationToken cancellationToken);

    /// <summary><c>kind delete cluster --name NAME --kubeconfig FILE</c>; idempotent (a cluster already gone is no error).</summary>
    Task DeleteClusterAsync(string name, string kubeconfig, CancellationToken cancellationToken);
}

/// <summary>kind refused; the message carries its own (redacted) error output.</summary>
public sealed class KindException(string message) : Exception(message);

/// <summary>kind through the process runner.</summary>
public sealed class KindCli(ResolvedTool kind, IProcessRunner runner, SecretRegistry secrets) : IKindCli
{
    private static readonly TimeSpan QuickTimeout = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<string>> GetClustersAsync(CancellationToken cancellationToken)
    {
        // With none, kind prints "No kind clusters found." on stderr and the names (one a line) on stdout otherwise.
        var result = await RunAsync(["get", "clusters"], QuickTimeout, stream: false, cancellationToken);
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    public Task CreateClusterAsync(string name, string kubeconfig, TimeSpan wait, CancellationToken cancellationToken) =>
        RunAsync(["create", "cluster", "--name", name, "--wait", $"{(int)wait.TotalSeconds}s", "--kubeconfig", kubeconfig], wait + TimeSpan.FromMinutes(5), stream: true, cancellationToken);

    public Task ExportKubeconfigAsync(string name, string kubeconfig, CancellationToken cancellationToken) =>
        RunAsync(["export", "kubeconfig", "--name", name, "--kubeconfig", kubeconfig], QuickTimeout, stream: true, cancellationToken);

    public Task LoadImageArchiveAsync(string name, string archive, CancellationToken cancellationToken) =>
        RunAsync(["load", "image-archive", archive, "--name", name], TimeSpan.FromMinutes(10), stream: true, cancellationToken);

    public Task DeleteClusterAsync(string name, string kubeconfig, CancellationToken cancellationToken) =>
        RunAsync(["delete", "cluster", "--name", name, "--kubeconfig", kubeconfig], QuickTimeout, stream: true, cancellationToken);

    private async Task<ToolResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, bool stream, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ToolCommand(kind.Path, arguments) { Timeout = timeout, StreamOutput = stream, ThrowOnFailure = false }, cancellationToken);
        if (result.Succeeded)
            return result;
        var said = string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError;
        throw new KindException($"kind {arguments[0]} {arguments[1]} failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {secrets.Redact(said.Trim())}");
    }
}
