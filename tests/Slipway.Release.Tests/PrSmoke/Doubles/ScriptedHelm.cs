using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.Tests.PrSmoke.Doubles;

/// <summary>An in-memory helm for stage tests: records each release verb, answers as scripted.</summary>
internal sealed class ScriptedHelm(Version? version = null) : IHelmReleases
{
    private readonly List<string> _calls = [];

    public Version Version { get; } = version ?? new Version(4, 1, 4);

    public List<string> Calls
    {
        get
        {
            lock (_calls)
                return [.. _calls];
        }
    }

    public Action<HelmInstall> Install { get; set; } = _ => { };

    public Action<string> Uninstall { get; set; } = _ => { };

    public Func<string, string?, string> Template { get; set; } = (_, _) => string.Empty;

    public Task<string> UpgradeInstallAsync(HelmInstall install, CancellationToken cancellationToken)
    {
        Record($"upgrade --install {install.Release} {install.Chart} -n {install.Namespace}");
        Install(install);
        return Task.FromResult("STATUS: deployed");
    }

    public Task UninstallAsync(string release, string inNamespace, KubeConnection connection, TimeSpan hookTimeout, CancellationToken cancellationToken)
    {
        Record($"uninstall {release} -n {inNamespace}");
        Uninstall(release);
        return Task.CompletedTask;
    }

    public Task<string> StatusAsync(string release, string inNamespace, KubeConnection connection, CancellationToken cancellationToken)
    {
        Record($"status {release}");
        return Task.FromResult($"NAME: {release}\nSTATUS: failed\n");
    }

    public Task<string> HistoryAsync(string release, string inNamespace, KubeConnection connection, CancellationToken cancellationToken)
    {
        Record($"history {release}");
        return Task.FromResult("REVISION\tSTATUS\n1\tfailed\n");
    }

    public Task<string> TemplateAsync(string chartDirectory, string releaseName, string? valuesFile = null, string? kubeVersion = null, CancellationToken cancellationToken = default)
    {
        Record($"template {releaseName} {chartDirectory} --kube-version {kubeVersion}");
        return Task.FromResult(Template(chartDirectory, kubeVersion));
    }

    private void Record(string call)
    {
        lock (_calls)
            _calls.Add(call);
    }
}
