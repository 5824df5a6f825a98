using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class ClusterChecksTests
{
    private readonly RecordingLog _log = new();

    private ClusterChecks Checks => new(_log);

    [Fact]
    public async Task Without_a_current_context_it_says_so_and_names_both_ways_on()
    {
        var kubectl = new ScriptedKubectl(KubeConnection.Default) { CurrentContext = () => null };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => Checks.ReachAsync(kubectl, CancellationToken.None));

        Assert.Contains("sets no current context", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl config use-context", error.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster kind", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(kubectl.Calls, call => call == "version");
    }

    [Fact]
    public async Task An_unreachable_server_is_named_with_its_context_and_kubectl_s_words()
    {
        var kubectl = new ScriptedKubectl(KubeConnection.Default)
        {
            CurrentContext = () => "staging",
            ServerVersion = () => throw new KubectlException("kubectl version failed (exit 1): The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?", 1, "The connection to the server 10.0.0.1:6443 was refused"),
        };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => Checks.ReachAsync(kubectl, CancellationToken.None));

        Assert.Contains("context 'staging' (https://127.0.0.1:6443", error.Message, StringComparison.Ordinal);
        Assert.Contains("was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl cluster-info --context staging", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reachable_cluster_is_pinned_to_its_context()
    {
        var cluster = await Checks.ReachAsync(new ScriptedKubectl(KubeConnection.Default) { CurrentContext = () => "staging" }, CancellationToken.None);

        Assert.Equal("staging", cluster.Connection.Context);
        Assert.Equal("v1.36.1", cluster.ServerVersion);
    }

    [Fact]
    public async Task Missing_permission_to_create_or_delete_namespaces_is_named()
    {
        var kubectl = new ScriptedKubectl { CanI = (verb, _) => new CanIAnswer(verb != "delete", verb == "delete" ? "no" : "yes") };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => Checks.CheckNamespacePermissionsAsync(kubectl, CancellationToken.None));

        Assert.Contains("may not delete namespaces (no)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("create namespaces", error.Message, StringComparison.Ordinal);
        Assert.Equal(["auth can-i create namespaces", "auth can-i delete namespaces"], kubectl.Calls);
    }

    [Fact]
    public async Task A_server_the_chart_s_kube_version_excludes_fails_with_helm_s_reason()
    {
        var helm = new ScriptedHelm
        {
            Template = (_, _) => throw new HelmException("helm template failed (exit 1):\nError: chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.24.0\n\nUse --debug flag to render out invalid YAML", 1),
        };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => Checks.CheckKubeVersionAsync(helm, "charts/beacon", "v1.24.0", CancellationToken.None));

        Assert.Contains("cannot be installed on this cluster (Kubernetes v1.24.0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("chart requires kubeVersion: >=1.25.0-0", error.Message, StringComparison.Ordinal);
        Assert.Equal(["template kube-version-check charts/beacon --kube-version v1.24.0"], helm.Calls);
    }

    [Fact]
    public async Task Kind_without_a_container_runtime_says_to_start_docker_or_use_the_current_context()
    {
        var kind = new ScriptedKind { Failure = () => new KindException("kind get clusters failed (exit 1): ERROR: failed to list clusters: command \"docker ps -a ...\" failed with error: exit status 1") };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => ClusterChecks.KindClustersAsync(kind, CancellationToken.None));

        Assert.Contains("kind cannot reach a container runtime", error.Message, StringComparison.Ordinal);
        Assert.Contains("start Docker", error.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster current", error.Message, StringComparison.Ordinal);
    }
}
