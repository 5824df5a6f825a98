using System.Text.RegularExpressions;
using Slipway.Logging;
using Slipway.Release.Helm;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// <c>helm upgrade --install --wait --wait-for-jobs --timeout</c> into the run's namespace. When helm fails, the failure
/// says which resources were not ready: helm 4 names them itself (kstatus), helm 3 only says its deadline passed, so
/// then the message says so and the workload check in the diagnostics names them.
/// </summary>
public sealed partial class InstallStage(IHelmReleases helm, IBuildLog log)
{
    private static readonly Version KstatusSince = new(4, 0, 0);

    public async Task<string> InstallAsync(HelmInstall install, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(install);
        var waiter = helm.Version >= KstatusSince ? "helm 4's kstatus watcher" : "helm 3's legacy readiness poller";
        log.Info($"Installing {install.Chart} as {install.Release} into {install.Namespace} (waiting up to {install.Timeout.TotalSeconds:0} s with {waiter})");
        try
        {
            await helm.UpgradeInstallAsync(install, cancellationToken);
        }
        catch (HelmException failure)
        {
            var notReady = NotReadyPattern().Matches(failure.Message).Select(match => $"{match.Groups["resource"].Value} ({match.Groups["status"].Value}{(match.Groups["message"].Value.Trim() is { Length: > 0 } message ? ": " + message : string.Empty)})").ToList();
            var which = notReady.Count > 0
                ? $"not ready: {string.Join("; ", notReady)}"
                : failure.Message.Contains("context deadline exceeded", StringComparison.Ordinal) || failure.Message.Contains("timed out waiting", StringComparison.Ordinal)
                    ? $"helm {helm.Version.ToString(3)} waited {install.Timeout.TotalSeconds:0} s and names no resource (helm 3's --wait only reports its deadline); the diagnostics show which workload was not ready"
                    : "see helm's error";
            throw new PrSmokeException($"helm upgrade --install {install.Release} failed, {which}. {failure.Message}", failure);
        }

        return $"{install.Release} deployed into {install.Namespace} ({waiter}, --wait-for-jobs, --timeout {install.Timeout.TotalSeconds:0}s)";
    }

    /// <summary>helm 4's watcher: <c>resource Deployment/ns/name not ready. status: InProgress, message: ...</c>.</summary>
    [GeneratedRegex(@"resource (?<resource>[A-Za-z]+/[^/\s]+/[^/\s]+) not ready\. status: (?<status>\w+), message: (?<message>[^\n]*)")]
    private static partial Regex NotReadyPattern();
}
