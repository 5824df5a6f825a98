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
    /// <c>helm upgrade --install --wait --wait-for-jobs --timeout</c>, the same flags for both lines with a different
    /// meaning: helm 4's bare <c>--wait</c> is <c>--wait=watcher</c>, kstatus over every object of the release (custom
    /// resources too, old pods gone, a Failed object ends it early); helm 3's is the legacy readiness poll (Pods, PVCs,
    /// Services, the minimum ready pods of workloads). helm 4 warns on <c>--wait=true</c> and helm 3 rejects
    /// <c>--wait=watcher</c>, so only the bare flag suits both. Returns helm's output.
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
    private static readonly TimeSpan ReleaseQueryTimeout = TimeSpan.FromMinutes(1);

    public async Task<string> UpgradeInstallAsync(HelmInstall install, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(install);
        List<string> arguments =
        [
            "upgrade", "--install", install.Release, install.Chart, "--namespace", install.Namespace,
            "--wait", "--wait-for-jobs", "--timeout", Seconds(install.Timeout),
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
