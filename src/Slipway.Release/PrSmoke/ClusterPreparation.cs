using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>What the preconditions decided: the cluster mode, the run's names, and (for current) the checked cluster.</summary>
public sealed record PrSmokePlan(PrSmokeClusterMode Mode, PrSmokeRunKey Key, string Namespace, string Suffix, KubeConnection Connection, string? KindCluster, CheckedCluster? Checked);

/// <summary>The cluster the lane deploys to, checked, and the kind cluster this run created (null: it created none).</summary>
public sealed record PrSmokeClusterReady(PrSmokePlan Plan, CheckedCluster Cluster, string? CreatedKindCluster);

/// <summary>
/// Where the lane deploys, decided in two steps. Before anything is built: for the current context, every check
/// (context, server, permissions, kubeVersion, a registry the cluster can pull from); for kind, that a container runtime
/// answers. Then, in parallel with the image build, a kind cluster is created (or reused) and gets the same checks.
/// </summary>
public sealed class ClusterPreparation(IBuildLog log, TimeProvider time)
{
    /// <exception cref="PrSmokeException">The first check that fails, naming the next step.</exception>
    public async Task<PrSmokePlan> PlanCurrentAsync(IKubectlCli kubectl, IHelmReleases helm, string chartDirectory, bool registryGiven, PrSmokeRunKey key, string suffix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubectl);
        var checks = new ClusterChecks(log);
        var cluster = await checks.ReachAsync(kubectl, cancellationToken);
        if (!registryGiven)
        {
            throw new PrSmokeException(
                $"The cluster of context {cluster.Connection.Context} pulls the image from a registry, and without --registry the image goes to an embedded one on this machine's loopback. " +
                "Next step: pass --registry <host[/namespace]> the cluster can pull from (with --registry-username and SLIPWAY_REGISTRY_PASSWORD to push), or run with --cluster kind.");
        }

        await checks.CheckNamespacePermissionsAsync(kubectl.WithConnection(cluster.Connection), cancellationToken);
        await checks.CheckKubeVersionAsync(helm, chartDirectory, cluster.ServerVersion, cancellationToken);
        return new PrSmokePlan(PrSmokeClusterMode.Current, key, PrSmokeNames.Namespace(key, suffix), suffix, cluster.Connection, null, cluster);
    }

    /// <param name="clusterName">The kind cluster to use; null: the one named for the run.</param>
    /// <exception cref="PrSmokeException">No container runtime answers kind.</exception>
    public static async Task<PrSmokePlan> PlanKindAsync(IKindCli kind, string? clusterName, string stateDirectory, PrSmokeRunKey key, string suffix, CancellationToken cancellationToken)
    {
        await ClusterChecks.KindClustersAsync(kind, cancellationToken);
        var name = clusterName ?? PrSmokeNames.KindCluster(key);
        // A kubeconfig of its own: the user's is neither read nor changed.
        var connection = new KubeConnection(Path.Combine(stateDirectory, $"{name}.kubeconfig"), $"kind-{name}");
        return new PrSmokePlan(PrSmokeClusterMode.Kind, key, PrSmokeNames.Namespace(key, suffix), suffix, connection, name, null);
    }

    /// <summary>The current context as checked; or the kind cluster, created (state file first) or reused, then checked.</summary>
    public async Task<PrSmokeClusterReady> ProvideAsync(PrSmokePlan plan, Func<CancellationToken, Task<IKindCli>> kind, IKubectlCli kubectl, IHelmReleases helm, string chartDirectory, PrSmokeStateStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(kind);
        if (plan.Checked is { } current)
            return new PrSmokeClusterReady(plan, current, null);

        var created = await new KindClusterSetup(await kind(cancellationToken), store, log, time).EnsureAsync(plan, cancellationToken);
        var checks = new ClusterChecks(log);
        var cluster = await checks.ReachAsync(kubectl.WithConnection(plan.Connection), cancellationToken);
        await checks.CheckNamespacePermissionsAsync(kubectl.WithConnection(cluster.Connection), cancellationToken);
        await checks.CheckKubeVersionAsync(helm, chartDirectory, cluster.ServerVersion, cancellationToken);
        return new PrSmokeClusterReady(plan, cluster, created ? plan.KindCluster : null);
    }
}
