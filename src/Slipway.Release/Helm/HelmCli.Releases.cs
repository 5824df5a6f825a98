using System.Globalization;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.Helm;

/// <summary>What <see cref="IHelmReleases.UpgradeInstallAsync"/> installs, and where.</summary>
/// <param name="Timeout">helm's --timeout: how long it waits for the release to be ready (and for each hook).</param>
public sealed record HelmInstall(string Release, string Chart, string Namespace, KubeConnection Connection, TimeSpan Timeout);

/// <summary>helm's release verbs against a cluster, one method each, plus the render a deployment is checked against.</summary>
public interface IHelmReleases
{
    Version Version { get; }

    /// <summary>
    /// <c>helm upgrade --install --wait --wait-for-jobs --timeout</c>. helm 4's <c>--wait</c> is the kstatus watcher (it
    /// waits for every resource to be fully reconciled, custom resources too, and its failure names each resource that is
    /// not ready); helm 3's is the legacy poller (Pods, PVCs, Services and the minimum ready Pods of workloads, and its
    /// failure says only "context deadline exceeded"). Returns helm's output.
    /// </summary>
    Task<string> UpgradeInstallAsync(HelmInstall install, CancellationToken cancellationToken);

    /// <summary><c>helm uninstall --ignore-not-found</c> without waiting for the resources to go (hooks get <paramref name="hookTimeout"/>).</summary>
    Task UninstallAsync(string release, string inNamespace, KubeConnection connection, TimeSpan hookTimeout, CancellationToken cancellationToken);

    /// <summary><c>helm status</c> as helm prints it.</summary>
    Task<string> StatusAsync(string release, string inNamespace, KubeConnection connection, CancellationToken cancellationToken);

    /// <summary><c>helm history</c> as helm prints it.</summary>
    Task<string> HistoryAsync(string release, string inNamespace, KubeConnection connection, CancellationToken cancellationToken);

    /// <summary><c>helm template</c>: the manifests as one multi-document YAML string.</summary>
    Task<string> TemplateAsync(string chartDirectory, string releaseName, string? valuesFile = null, string? kubeVersion = null, CancellationToken cancellationToken = default);
}

public sealed partial class HelmCli : IHelmReleases
{
    /// <summary>helm 4 made --wait a strategy; its bare form means the kstatus watcher, which is spelled out here.</summary>
    private static readonly Version WaitStrategySince = new(4, 0, 0);

    private static readonly TimeSpan ReleaseQueryTimeout = TimeSpan.FromMinutes(1);

    public async Task<string> UpgradeInstallAsync(HelmInstall install, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(install);
        List<string> arguments =
        [
            "upgrade", "--install", install.Release, install.Chart, "--namespace", install.Namespace,
            Version >= WaitStrategySince ? "--wait=watcher" : "--wait", "--wait-for-jobs", "--timeout", Seconds(install.Timeout),
            .. install.Connection.HelmArguments,
        ];
        // helm enforces --timeout itself; the process limit only catches a helm that hangs past it.
        var result = await RunAsync(arguments, install.Timeout + TimeSpan.FromMinutes(1), stream: true, stdoutExplainsFailure: true, cancellationToken);
        return result.StandardOutput;
    }

    public Task UninstallAsync(string release, string inNamespace, KubeConnection connection, TimeSpan hookTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Without --wait neither line waits for the resources: helm 3 never does by default, helm 4's default is hookOnly.
        return RunAsync(
            ["uninstall", release, "--namespace", inNamespace, "--ignore-not-found", "--timeout", Seconds(hookTimeout), .. connection.HelmArguments],
            hookTimeout + TimeSpan.FromSeconds(10), stream: true, stdoutExplainsFailure: false, cancellationToken);
    }

    public async Task<string> StatusAsync(string release, string inNamespace, KubeConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = await RunAsync(["status", release, "--namespace", inNamespace, .. connection.HelmArguments], ReleaseQueryTimeout, stream: false, stdoutExplainsFailure: false, cancellationToken);
        return result.StandardOutput;
    }

    public async Task<string> HistoryAsync(string release, string inNamespace, KubeConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = await RunAsync(["history", release, "--namespace", inNamespace, .. connection.HelmArguments], ReleaseQueryTimeout, stream: false, stdoutExplainsFailure: false, cancellationToken);
        return result.StandardOutput;
    }

    /// <summary>A Go duration in whole seconds, as helm's --timeout takes it.</summary>
    private static string Seconds(TimeSpan timeout) => $"{Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s";
}
