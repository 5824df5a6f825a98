using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>A cluster that answered: the connection pinned to its context, its API server and its version.</summary>
public sealed record CheckedCluster(KubeConnection Connection, string? Server, string ServerVersion);

/// <summary>
/// The checks a cluster must pass before the lane creates anything in it, each failure naming what is missing and the
/// next step: a context to use, a server that answers, permission to create and delete namespaces, and a Kubernetes
/// version the chart's <c>kubeVersion</c> accepts (decided by helm itself, so its constraint semantics apply).
/// </summary>
public sealed class ClusterChecks(IBuildLog log)
{
    private const string KindHint = "or run with --cluster kind on a machine with Docker";

    /// <summary>The connection's context (its current one when it names none), asked for its server version.</summary>
    /// <exception cref="PrSmokeException">No context, or the server does not answer.</exception>
    public async Task<CheckedCluster> ReachAsync(IKubectlCli kubectl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubectl);
        var kubeconfig = kubectl.Connection.Kubeconfig ?? "the default kubeconfig (KUBECONFIG, else ~/.kube/config)";
        var context = kubectl.Connection.Context ?? await kubectl.CurrentContextAsync(cancellationToken)
            ?? throw new PrSmokeException(
                $"No cluster to deploy to: {kubeconfig} sets no current context. Next step: point KUBECONFIG at a cluster and select a context (kubectl config use-context <name>), {KindHint}.");
        var bound = kubectl.WithConnection(kubectl.Connection with { Context = context });
        var server = await bound.ServerAsync(cancellationToken);
        try
        {
            var version = await bound.ServerVersionAsync(cancellationToken);
            log.Info($"Cluster: context {context} ({server ?? "server unknown"}) answers, Kubernetes {version}");
            return new CheckedCluster(bound.Connection, server, version);
        }
        catch (KubectlException error)
        {
            throw new PrSmokeException(
                $"The cluster of context '{context}' ({server ?? "server unknown"}, from {kubeconfig}) does not answer: {error.Message} " +
                $"Next step: check that the cluster is up and reachable from here (kubectl cluster-info --context {context}), select another context, {KindHint}.",
                error);
        }
    }

    /// <summary>The lane creates and deletes a namespace per run: both must be allowed at the cluster scope.</summary>
    /// <exception cref="PrSmokeException">One of them is not allowed; the message says which.</exception>
    public async Task CheckNamespacePermissionsAsync(IKubectlCli kubectl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubectl);
        var refused = new List<string>();
        foreach (var verb in new[] { "create", "delete" })
        {
            var answer = await kubectl.CanIAsync(verb, "namespaces", cancellationToken);
            if (!answer.Allowed)
                refused.Add($"{verb} namespaces ({answer.Answer})");
        }

        if (refused.Count > 0)
        {
            throw new PrSmokeException(
                $"The credentials of {kubectl.Connection} may not {string.Join(" or ", refused)}; the lane needs both to give each run its own namespace. " +
                "Next step: use credentials bound to a ClusterRole that allows create and delete on namespaces, " + KindHint + ".");
        }

        log.Info("Cluster: allowed to create and delete namespaces");
    }

    /// <summary>Renders the chart for the server's version: helm refuses when the chart's kubeVersion excludes it.</summary>
    /// <exception cref="PrSmokeException">The chart does not accept the server's version, or does not render at all.</exception>
    public async Task CheckKubeVersionAsync(IHelmReleases helm, string chartDirectory, string serverVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(helm);
        try
        {
            await helm.TemplateAsync(chartDirectory, "kube-version-check", kubeVersion: serverVersion, cancellationToken: cancellationToken);
        }
        catch (HelmException refusal) when (refusal.Message.Contains("incompatible with Kubernetes", StringComparison.Ordinal))
        {
            throw new PrSmokeException(
                $"The chart {chartDirectory} cannot be installed on this cluster (Kubernetes {serverVersion}): {refusal.Message.Split('\n').Skip(1).FirstOrDefault(line => line.Contains("kubeVersion", StringComparison.Ordinal))?.Trim() ?? refusal.Message} " +
                "Next step: deploy to a cluster whose version the chart's kubeVersion (Chart.yaml) accepts, or widen kubeVersion if the chart supports it.",
                refusal);
        }
        catch (HelmException refusal)
        {
            throw new PrSmokeException($"The chart {chartDirectory} does not render for Kubernetes {serverVersion}: {refusal.Message}", refusal);
        }

        log.Info($"Cluster: the chart's kubeVersion accepts Kubernetes {serverVersion}");
    }

    /// <summary>kind lists its clusters through the container runtime: answering means the runtime is there.</summary>
    /// <exception cref="PrSmokeException">No container runtime answers.</exception>
    public static async Task<IReadOnlyList<string>> KindClustersAsync(IKindCli kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        try
        {
            return await kind.GetClustersAsync(cancellationToken);
        }
        catch (KindException error)
        {
            throw new PrSmokeException(
                $"kind cannot reach a container runtime: {error.Message} Next step: start Docker (kind runs its nodes as docker, podman or nerdctl containers), " +
                "or run with --cluster current against a cluster your kube context reaches.",
                error);
        }
    }
}
