using Slipway.Processes;

namespace Slipway.Release.Kubernetes;

/// <summary>kubectl's answer to <c>auth can-i</c>: allowed or not, and what it said.</summary>
public sealed record CanIAnswer(bool Allowed, string Answer);

/// <summary>A local port forwarded to a port of a Service (or pod).</summary>
public sealed record PortMapping(int Local, int Remote);

/// <summary>
/// The kubectl verbs a component needs, one method each, bound to one cluster (<see cref="Connection"/>). No decisions:
/// a failure is a <see cref="KubectlException"/> carrying kubectl's own words, except where a method says what it returns.
/// </summary>
public interface IKubectlCli
{
    KubeConnection Connection { get; }

    /// <summary>The same kubectl, talking to another cluster or context.</summary>
    IKubectlCli WithConnection(KubeConnection connection);

    /// <summary><c>kubectl config current-context</c>; null when the kubeconfig sets none.</summary>
    Task<string?> CurrentContextAsync(CancellationToken cancellationToken);

    /// <summary>The API server URL of the connection's context (<c>config view --minify</c>), for messages; null when unknown.</summary>
    Task<string?> ServerAsync(CancellationToken cancellationToken);

    /// <summary><c>kubectl version -o json</c>: the server's gitVersion, e.g. <c>v1.36.1</c>.</summary>
    Task<string> ServerVersionAsync(CancellationToken cancellationToken);

    /// <summary><c>kubectl auth can-i VERB RESOURCE</c> at the cluster scope.</summary>
    Task<CanIAnswer> CanIAsync(string verb, string resource, CancellationToken cancellationToken);

    /// <summary><c>kubectl create -f -</c> with one object as JSON.</summary>
    Task CreateAsync(string objectJson, CancellationToken cancellationToken);

    /// <summary><c>kubectl get RESOURCE [NAME] -o json</c>; null when the named object does not exist (NotFound).</summary>
    Task<string?> GetJsonAsync(string resource, string? name, string? inNamespace, string? selector, CancellationToken cancellationToken);

    /// <summary><c>kubectl delete namespace NAME --wait=false --ignore-not-found</c>: returns once the API accepted the deletion.</summary>
    Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken);

    /// <summary><c>kubectl delete pods --all --force --grace-period=0</c> in a namespace.</summary>
    Task ForceDeletePodsAsync(string inNamespace, CancellationToken cancellationToken);

    /// <summary><c>kubectl patch namespace NAME</c> removing <c>metadata.finalizers</c>; a namespace already gone is no error.</summary>
    Task PatchNamespaceFinalizersAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// <c>kubectl replace --raw /api/v1/namespaces/NAME/finalize</c> with empty <c>spec.finalizers</c>: the only way to drop
    /// the <c>kubernetes</c> finalizer of a namespace stuck Terminating. A namespace already gone is no error.
    /// </summary>
    Task FinalizeNamespaceAsync(string name, CancellationToken cancellationToken);

    /// <summary><c>kubectl describe RESOURCE NAME</c>.</summary>
    Task<string> DescribeAsync(string resource, string name, string inNamespace, CancellationToken cancellationToken);

    /// <summary><c>kubectl logs POD -c CONTAINER [--previous] --limit-bytes=N</c>.</summary>
    Task<string> LogsAsync(string inNamespace, string pod, string container, bool previous, int limitBytes, CancellationToken cancellationToken);

    /// <summary>
    /// <c>kubectl port-forward TARGET LOCAL:REMOTE...</c> on 127.0.0.1, as a long-running child: the task ends when kubectl
    /// exits by itself (its result says why) and is cancelled, killing kubectl, when <paramref name="lifetime"/> is.
    /// </summary>
    Task<ToolResult> PortForwardAsync(string inNamespace, string target, IReadOnlyList<PortMapping> ports, CancellationToken lifetime);
}
