using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class ClusterPreparationTests : IDisposable
{
    private static readonly PrSmokeRunKey Key = new(7, 7002, 1);
    private readonly TempDirectory _work = new();
    private readonly ScriptedHelm _helm = new();
    private readonly ScriptedKind _kind = new();

    public void Dispose() => _work.Dispose();

    private ClusterPreparation Preparation => new(new RecordingLog(), new InstantTime());

    [Fact]
    public async Task The_current_context_is_checked_in_full_and_pinned_before_anything_is_built()
    {
        var kubectl = new ScriptedKubectl(KubeConnection.Default) { CurrentContext = () => "staging" };

        var plan = await Preparation.PlanCurrentAsync(kubectl, _helm, "charts/beacon", registryGiven: true, Key, "abcde", CancellationToken.None);

        Assert.Equal((PrSmokeClusterMode.Current, "pr-7-7002-1-abcde", "staging"), (plan.Mode, plan.Namespace, plan.Connection.Context));
        Assert.Equal(["config current-context", "config view", "version", "auth can-i create namespaces", "auth can-i delete namespaces"], kubectl.Calls);
        Assert.Equal(["template kube-version-check charts/beacon --kube-version v1.36.1"], _helm.Calls);
    }

    [Fact]
    public async Task The_current_context_without_a_registry_it_can_pull_from_is_refused_with_the_next_step()
    {
        var error = await Assert.ThrowsAsync<PrSmokeException>(() => Preparation.PlanCurrentAsync(new ScriptedKubectl(), _helm, "charts/beacon", registryGiven: false, Key, "abcde", CancellationToken.None));

        Assert.Contains("without --registry the image goes to an embedded one on this machine's loopback", error.Message, StringComparison.Ordinal);
        Assert.Contains("Next step: pass --registry", error.Message, StringComparison.Ordinal);
        Assert.Empty(_helm.Calls);
    }

    [Fact]
    public async Task Kind_gets_a_kubeconfig_of_its_own_and_a_cluster_named_for_the_run()
    {
        var plan = await ClusterPreparation.PlanKindAsync(_kind, null, _work.Path, Key, "abcde", CancellationToken.None);

        Assert.Equal(("slipway-pr-7-7002-1", "kind-slipway-pr-7-7002-1", _work.Combine("slipway-pr-7-7002-1.kubeconfig")), (plan.KindCluster, plan.Connection.Context, plan.Connection.Kubeconfig));
        Assert.Equal(["get clusters"], _kind.Calls);
    }

    [Fact]
    public async Task A_kind_cluster_is_created_after_the_state_file_names_it_and_then_checked()
    {
        var store = new PrSmokeStateStore(_work.Combine("state"));
        var plan = await ClusterPreparation.PlanKindAsync(_kind, null, _work.Path, Key, "abcde", CancellationToken.None);
        var kubectl = new ScriptedKubectl();

        var ready = await Preparation.ProvideAsync(plan, _ => Task.FromResult<IKindCli>(_kind), kubectl, _helm, "charts/beacon", store, CancellationToken.None);

        Assert.Equal("slipway-pr-7-7002-1", ready.CreatedKindCluster);
        Assert.Equal(["get clusters", "get clusters", "create cluster --name slipway-pr-7-7002-1"], _kind.Calls);
        Assert.Equal("slipway-pr-7-7002-1", Assert.Single(store.LoadAll()).KindCluster);
        Assert.Equal("kind-slipway-pr-7-7002-1", ready.Cluster.Connection.Context);
        Assert.Contains("auth can-i delete namespaces", kubectl.Calls);
    }

    [Fact]
    public async Task An_existing_kind_cluster_is_reused_and_not_this_run_s_to_delete()
    {
        _kind.Clusters.Add("kind");
        var store = new PrSmokeStateStore(_work.Combine("state"));
        var plan = await ClusterPreparation.PlanKindAsync(_kind, "kind", _work.Path, Key, "abcde", CancellationToken.None);

        var ready = await Preparation.ProvideAsync(plan, _ => Task.FromResult<IKindCli>(_kind), new ScriptedKubectl(), _helm, "charts/beacon", store, CancellationToken.None);

        Assert.Null(ready.CreatedKindCluster);
        Assert.Contains("export kubeconfig --name kind", _kind.Calls);
        Assert.DoesNotContain(_kind.Calls, call => call.StartsWith("create", StringComparison.Ordinal));
        Assert.Empty(store.LoadAll());
    }
}
