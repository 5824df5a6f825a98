using Slipway.Logging;
using Slipway.Release.Helm;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// <c>helm upgrade --install --wait --wait-for-jobs --timeout</c> into the run's namespace. helm's exit decides whether
/// the install failed; what was not ready is never read from how a helm line words its timeout ("context deadline
/// exceeded" from helm 3, one "resource ... not ready" line per object from helm 4) but from a look at the namespace's
/// workloads right after, the same for both lines.
/// </summary>
public sealed class InstallStage(IHelmReleases helm, IBuildLog log)
{
    private static readonly Version KstatusSince = new(4, 0, 0);

    /// <param name="notReady">What the namespace shows is not ready, asked only when helm failed.</param>
    public async Task<string> InstallAsync(HelmInstall install, Func<Task<IReadOnlyList<string>>> notReady, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentNullException.ThrowIfNull(notReady);
        var waiter = helm.Version >= KstatusSince ? "helm 4's kstatus watcher" : "helm 3's readiness poll";
        log.Info($"Installing {install.Chart} as {install.Release} into {install.Namespace} (waiting up to {install.Timeout.TotalSeconds:0} s with {waiter})");
        try
        {
            await helm.UpgradeInstallAsync(install, cancellationToken);
        }
        catch (HelmException failure)
        {
            var workloads = await notReady();
            var which = workloads.Count > 0 ? $"not ready then: {string.Join("; ", workloads)}" : "every workload was ready then: see helm's error";
            throw new PrSmokeException($"helm {helm.Version.ToString(3)} upgrade --install {install.Release} failed ({waiter}, --timeout {install.Timeout.TotalSeconds:0}s); {which}. {failure.Message}", failure);
        }

        return $"{install.Release} deployed into {install.Namespace} ({waiter}, --wait-for-jobs, --timeout {install.Timeout.TotalSeconds:0}s)";
    }
}
