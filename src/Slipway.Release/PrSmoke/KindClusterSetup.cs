using Slipway.Logging;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// The run's kind cluster: reused when it exists (then it is not this run's to delete), else created with the state file
/// naming it first, so a kill during the minute <c>kind create cluster --wait</c> takes still gets it deleted. Its
/// kubeconfig is a file of its own, so the user's kubeconfig is neither read nor changed.
/// </summary>
public sealed class KindClusterSetup(IKindCli kind, PrSmokeStateStore store, IBuildLog log, TimeProvider time)
{
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Returns whether this run created the cluster.</summary>
    public async Task<bool> EnsureAsync(PrSmokePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var name = plan.KindCluster ?? throw new ArgumentException("The plan names no kind cluster.", nameof(plan));
        var kubeconfig = plan.Connection.Kubeconfig ?? throw new ArgumentException("The plan names no kubeconfig for the kind cluster.", nameof(plan));
        Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig)!);
        if ((await kind.GetClustersAsync(cancellationToken)).Contains(name))
        {
            await kind.ExportKubeconfigAsync(name, kubeconfig, cancellationToken);
            log.Info($"kind cluster {name} exists: using it, and leaving it in place afterwards");
            return false;
        }

        store.Save(new PrSmokeState(plan.Namespace, plan.Connection, name, null, time.GetUtcNow()));
        await kind.CreateClusterAsync(name, kubeconfig, Wait, cancellationToken);
        return true;
    }
}
