using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class TeardownTests
{
    private static readonly KubeConnection Connection = new("/tmp/kubeconfig", "kind-x");
    private readonly ScriptedKubectl _kubectl = new(Connection);
    private readonly ScriptedHelm _helm = new();
    private readonly ScriptedKind _kind = new();
    private readonly InstantTime _time = new();
    private readonly RecordingLog _log = new();

    private static PrSmokeState State(string? release = "beacon-abcde", string? kindCluster = null) =>
        new("pr-7-abcde", Connection, kindCluster, release, DateTimeOffset.UnixEpoch);

    private Teardown Teardown() => new(_kubectl, _helm, _ => Task.FromResult<IKindCli>(_kind), _log, _time);

    [Fact]
    public async Task Uninstall_then_namespace_delete_then_watch_it_go()
    {
        var polls = 0;
        _kubectl.Get = (_, _, _, _) => ++polls < 3 ? """{"status":{"phase":"Terminating"}}""" : null;

        var report = await Teardown().RunAsync(State(), TeardownPolicy.Thorough, CancellationToken.None);

        Assert.True(report.Complete, report.Detail);
        Assert.False(report.Failed);
        Assert.Equal(["uninstall beacon-abcde -n pr-7-abcde"], _helm.Calls);
        Assert.Equal(["delete namespace pr-7-abcde", "get namespace pr-7-abcde", "get namespace pr-7-abcde", "get namespace pr-7-abcde"], _kubectl.Calls);
        Assert.Contains("gone after", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everything_already_gone_is_done_so_a_second_teardown_is_harmless()
    {
        var first = await Teardown().RunAsync(State(), TeardownPolicy.Thorough, CancellationToken.None);
        var second = await Teardown().RunAsync(State(), TeardownPolicy.Thorough, CancellationToken.None);

        Assert.True(first.Complete && second.Complete, second.Detail);
    }

    [Fact]
    public async Task A_namespace_stuck_terminating_gets_its_pods_force_deleted_then_its_finalizers_removed()
    {
        var finalized = false;
        _kubectl.Finalize = _ => finalized = true;
        _kubectl.Get = (_, _, _, _) => finalized ? null : """{"status":{"phase":"Terminating"}}""";

        var report = await Teardown().RunAsync(State(), TeardownPolicy.Thorough, CancellationToken.None);

        Assert.True(report.Complete, report.Detail);
        var calls = _kubectl.Calls;
        var force = calls.IndexOf("delete pods -n pr-7-abcde --force");
        var patch = calls.IndexOf("patch namespace pr-7-abcde finalizers");
        var finalize = calls.IndexOf("replace --raw /api/v1/namespaces/pr-7-abcde/finalize");
        Assert.True(force > 0 && patch > force && finalize > patch, string.Join(" | ", calls));
        // Escalation waits its turn: 60 s Terminating before the pods go, another 60 s before the finalizers.
        Assert.InRange(_time.Elapsed.TotalSeconds, 120, 125);
    }

    [Fact]
    public async Task After_a_signal_the_fast_policy_stops_watching_when_its_time_is_up_and_says_what_is_left()
    {
        _kubectl.Get = (_, _, _, _) => """{"status":{"phase":"Terminating"}}""";

        var report = await Teardown().RunAsync(State(), TeardownPolicy.Fast(TimeSpan.FromSeconds(3)), CancellationToken.None);

        Assert.False(report.Complete);
        Assert.False(report.Failed);
        Assert.Contains("left to PrSmokeTeardown", report.Detail, StringComparison.Ordinal);
        Assert.Contains("delete namespace pr-7-abcde", _kubectl.Calls);
        Assert.Contains("delete pods -n pr-7-abcde --force", _kubectl.Calls);
        Assert.InRange(_time.Elapsed.TotalSeconds, 3, 3.5);
    }

    [Fact]
    public async Task With_no_time_left_only_the_fast_deletes_run()
    {
        _kubectl.Get = (_, _, _, _) => """{"status":{"phase":"Terminating"}}""";

        var report = await Teardown().RunAsync(State(), TeardownPolicy.Fast(TimeSpan.FromSeconds(-1)), CancellationToken.None);

        Assert.False(report.Complete);
        Assert.Equal(["delete namespace pr-7-abcde", "get namespace pr-7-abcde"], _kubectl.Calls);
        Assert.Equal(["uninstall beacon-abcde -n pr-7-abcde"], _helm.Calls);
    }

    [Fact]
    public async Task A_failed_uninstall_does_not_stop_the_namespace_delete_and_the_report_says_failed()
    {
        _helm.Uninstall = _ => throw new Slipway.Release.Helm.HelmException("helm uninstall failed (exit 1): Kubernetes cluster unreachable", 1);

        var report = await Teardown().RunAsync(State(), TeardownPolicy.Thorough, CancellationToken.None);

        Assert.True(report.Failed);
        Assert.False(report.Complete);
        Assert.Contains("delete namespace pr-7-abcde", _kubectl.Calls);
        Assert.Contains("cluster unreachable", report.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kind_cluster_the_run_created_is_deleted_and_nothing_is_watched_inside_it()
    {
        _kind.Clusters.Add("slipway-pr-7");

        var report = await Teardown().RunAsync(State(kindCluster: "slipway-pr-7"), TeardownPolicy.Fast(TimeSpan.FromSeconds(4)), CancellationToken.None);

        Assert.True(report.Complete, report.Detail);
        Assert.Equal(["delete cluster --name slipway-pr-7"], _kind.Calls);
        Assert.DoesNotContain(_kubectl.Calls, call => call.StartsWith("get ", StringComparison.Ordinal));
        Assert.Empty(_kind.Clusters);
    }

    [Fact]
    public async Task A_state_without_a_release_skips_the_uninstall()
    {
        var report = await Teardown().RunAsync(State(release: null), TeardownPolicy.Thorough, CancellationToken.None);

        Assert.True(report.Complete);
        Assert.Empty(_helm.Calls);
    }
}
