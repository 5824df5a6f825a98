using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.Oci;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Fakes;
using Slipway.Release.Tests.Support;
using Slipway.Secrets;

namespace Slipway.Release.Tests.PrSmoke;

/// <summary>
/// The lane's stages with the real adapters, the real process runner and the real helm rendering, against the fake
/// cluster's failure modes: what each one reports, what the diagnostics hold, how the teardown escalates.
/// </summary>
[Collection(PrSmokeLaneCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PrSmokeScenarioTests : IDisposable
{
    private const string Cluster = "slipway-pr-7";

    private readonly PrSmokeLaneFixture _lane;
    private readonly SimulatedCluster _cluster;
    private readonly TempDirectory _work = new();
    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly HttpClient _http = new();
    private readonly InMemoryImage _image = InMemoryImage.Create();

    public PrSmokeScenarioTests(PrSmokeLaneFixture lane)
    {
        _lane = lane;
        _cluster = new SimulatedCluster(lane.RealHelm);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _work.Dispose();
        _http.Dispose();
    }

    private IProcessRunner Runner => new ProcessRunner(_log, _secrets);

    private KubeConnection Connection => new(_work.Combine("kind.kubeconfig"), $"kind-{Cluster}");

    private IKubectlCli Kubectl => new KubectlCli(_cluster.KubectlTool, Runner, _secrets, Connection);

    private KindCli Kind => new(_cluster.KindTool, Runner, _secrets);

    private ImagePin Pin => new("127.0.0.1:5000/beacon", _image.IndexDigest);

    private HelmCli Helm(string version)
    {
        _cluster.Scenario(scenario => scenario.HelmVersion = version);
        return new HelmCli(_cluster.HelmTool(Version.Parse(version)), Runner, _secrets, _work.Combine("helm"));
    }

    /// <summary>A kind cluster in the fake, the chart stamped as Publish stamps it, and a lane over the real adapters.</summary>
    private async Task<(PrSmokeLane Lane, PrSmokeLaneRequest Request, PrSmokeRecorder Record)> LaneAsync(string helmVersion = "4.1.4", TimeSpan? installTimeout = null)
    {
        await Kind.CreateClusterAsync(Cluster, Connection.Kubeconfig!, TimeSpan.FromSeconds(60), CancellationToken.None);
        var version = _lane.Expected.Version;
        var staged = ChartStager.Stage(Repository.ShippedChart, _work.Combine("staging", "beacon"), new ChartStamp(version, version.ToString(), Pin));
        var suffix = PrSmokeNames.RandomSuffix();
        var key = new PrSmokeRunKey(PrSmokeLaneFixture.PullRequest, null, null);
        var plan = new PrSmokePlan(PrSmokeClusterMode.Kind, key, PrSmokeNames.Namespace(key, suffix), suffix, Connection, Cluster, null);
        var record = new PrSmokeRecorder(TimeProvider.System);
        var lane = new PrSmokeLane(record, Kubectl, Helm(helmVersion), Kind, new PrSmokeStateStore(_work.Combine("state")), _log, TimeProvider.System);
        var request = new PrSmokeLaneRequest(
            new PrSmokeClusterReady(plan, new CheckedCluster(Connection, null, "v1.36.1"), Cluster),
            new ChartPackage(staged.Directory, "beacon", version.ToString(), "sha256:" + new string('0', 64)),
            Pin,
            _lane.Expected,
            TimeSpan.FromHours(2),
            installTimeout ?? TimeSpan.FromSeconds(20))
        {
            ImageSource = _image,
            RegistryClient = new OciRegistryClient(_http, _secrets, _log),
            ContractHttp = _http,
            Endpoints = Smoke.BeaconImageFixture.Endpoints,
            WorkDirectory = _work.Combine("work"),
            DiagnosticsDirectory = _work.Combine("artifacts", "diagnostics"),
            RootDirectory = _work.Path,
        };
        return (lane, request, record);
    }

    [Fact]
    public async Task A_port_forward_that_drops_is_restarted_once_and_the_smoke_passes_against_the_real_app()
    {
        await using var beacon = await _lane.StartBeaconAsync();
        _cluster.Scenario(scenario =>
        {
            scenario.Backend = beacon.Address;
            scenario.PortForwardDropsAfter = 1;
        });
        var (lane, request, record) = await LaneAsync();

        var deployed = await lane.DeployAsync(request, CancellationToken.None);

        Assert.True(deployed.Smoke.Passed, deployed.Smoke.ToString());
        Assert.Equal(2, _cluster.CallsOf("kubectl").Count(call => call.StartsWith("port-forward svc/beacon-", StringComparison.Ordinal)));
        Assert.Contains(_log.Lines, line => line.Contains("dropped", StringComparison.Ordinal) && line.Contains("restarted it", StringComparison.Ordinal));
        Assert.Contains(record.SmokeChecks, check => check is { Name: "GET /version", Passed: true });
        Assert.Contains(_cluster.Cluster($"kind-{Cluster}").Images, image => image.Name == Pin.ToString() && image.Digest == Pin.Digest);
    }

    [Theory]
    [InlineData("4.1.4", "helm 4's kstatus watcher", "resource Deployment/")]
    [InlineData("3.17.2", "helm 3's readiness poll", "Error: context deadline exceeded")]
    public async Task An_install_that_never_becomes_ready_fails_naming_the_workload_on_both_helm_lines_and_is_diagnosed(string helmVersion, string waiter, string helmSays)
    {
        _cluster.Scenario(scenario => scenario.InstallNeverReady = true);
        var (lane, request, record) = await LaneAsync(helmVersion, TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => lane.DeployAsync(request, CancellationToken.None));

        Assert.Contains($"({waiter}, --timeout 2s); not ready then: Deployment/beacon-", error.Message, StringComparison.Ordinal);
        Assert.Contains("0 of 1 replicas ready", error.Message, StringComparison.Ordinal);
        Assert.Contains(helmSays, error.Message, StringComparison.Ordinal);
        Assert.Contains(_cluster.CallsOf("helm"), call => call.StartsWith("upgrade --install", StringComparison.Ordinal) && call.Contains("--wait --wait-for-jobs --timeout 2s", StringComparison.Ordinal));
        Assert.Equal(PrSmokeStepStatus.Failed, record.StepOf(PrSmokeStepName.Install)!.Status);
        var diagnostics = Path.Combine(request.DiagnosticsDirectory, request.Cluster.Plan.Namespace);
        Assert.Contains("Unhealthy", await File.ReadAllTextAsync(Path.Combine(diagnostics, "events.txt")), StringComparison.Ordinal);
        Assert.Contains("STATUS: failed", await File.ReadAllTextAsync(Path.Combine(diagnostics, "helm-status.txt")), StringComparison.Ordinal);
        Assert.Contains(Directory.GetFiles(diagnostics), file => Path.GetFileName(file).StartsWith("describe-pod-beacon-", StringComparison.Ordinal));
        Assert.Equal($"artifacts/diagnostics/{request.Cluster.Plan.Namespace}/", record.Diagnostics!.Location);
        Assert.Contains("running, not ready", record.Diagnostics.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_loop_helm_called_deployed_fails_the_workload_check_and_the_diagnostics_hold_the_previous_logs()
    {
        _cluster.Scenario(scenario => scenario.CrashLoop = true);
        var (lane, request, record) = await LaneAsync();

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => lane.DeployAsync(request, CancellationToken.None));

        Assert.Equal(PrSmokeStepStatus.Passed, record.StepOf(PrSmokeStepName.Install)!.Status);
        Assert.Equal(PrSmokeStepStatus.Failed, record.StepOf(PrSmokeStepName.Workloads)!.Status);
        Assert.Contains("CrashLoopBackOff (3 restarts)", error.Message, StringComparison.Ordinal);
        var previous = Directory.GetFiles(Path.Combine(request.DiagnosticsDirectory, request.Cluster.Plan.Namespace), "logs-*-previous.txt");
        Assert.Contains("Failed to bind to address", await File.ReadAllTextAsync(Assert.Single(previous)), StringComparison.Ordinal);
        Assert.Contains("log ends: Unhandled exception", record.Diagnostics!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chart_loaded_by_tag_only_would_not_run_the_rendered_digest_reference()
    {
        // What a docker save style archive gives: only repository:tag. The pod's repository@digest finds nothing.
        await Kind.CreateClusterAsync(Cluster, Connection.Kubeconfig!, TimeSpan.FromSeconds(60), CancellationToken.None);
        var archive = _work.Combine("by-tag.tar");
        await OciImageArchive.WriteAsync(_image, _image.IndexDigest, ["127.0.0.1:5000/beacon:pr-7-0123456"], archive, CancellationToken.None);
        await Kind.LoadImageArchiveAsync(Cluster, archive, CancellationToken.None);

        Assert.DoesNotContain(_cluster.Cluster($"kind-{Cluster}").Images, image => image.Name == Pin.ToString());
        Assert.Contains(_cluster.Cluster($"kind-{Cluster}").Images, image => image.Name == "127.0.0.1:5000/beacon:pr-7-0123456" && image.Digest == Pin.Digest);
    }

    [Fact]
    public async Task A_forbidden_namespace_create_is_named_and_the_state_still_records_it_for_the_teardown()
    {
        _cluster.Scenario(scenario => scenario.ForbidCreateNamespace = true);
        var (lane, request, record) = await LaneAsync();

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => lane.DeployAsync(request, CancellationToken.None));

        Assert.Contains($"refused to create namespace {request.Cluster.Plan.Namespace}", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot create resource \"namespaces\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(PrSmokeStepStatus.Failed, record.StepOf(PrSmokeStepName.Namespace)!.Status);
        Assert.Equal(request.Cluster.Plan.Namespace, Assert.Single(new PrSmokeStateStore(_work.Combine("state")).LoadAll()).Namespace);
    }

    [Fact]
    public async Task A_namespace_stuck_terminating_is_escalated_until_it_is_gone()
    {
        await using var beacon = await _lane.StartBeaconAsync();
        _cluster.Scenario(scenario =>
        {
            scenario.Backend = beacon.Address;
            scenario.NamespaceStuckTerminating = true;
        });
        var (lane, request, _) = await LaneAsync();
        var deployed = await lane.DeployAsync(request, CancellationToken.None);
        var state = new PrSmokeState(deployed.Namespace, Connection, null, deployed.Release, DateTimeOffset.UtcNow);

        var report = await new Teardown(Kubectl, Helm("4.1.4"), null, _log, TimeProvider.System)
            .RunAsync(state, new TeardownPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)) { PollInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);

        Assert.True(report.Complete, report.Detail);
        var kubectl = _cluster.CallsOf("kubectl");
        Assert.Contains(kubectl, call => call.StartsWith($"delete pods --all -n {deployed.Namespace} --force --grace-period=0", StringComparison.Ordinal));
        Assert.Contains(kubectl, call => call.StartsWith($"replace --raw /api/v1/namespaces/{deployed.Namespace}/finalize", StringComparison.Ordinal));
        Assert.DoesNotContain(deployed.Namespace, _cluster.Cluster($"kind-{Cluster}").Namespaces.Keys);
    }

    [Fact]
    public async Task Kind_without_a_container_runtime_is_named_as_such()
    {
        _cluster.Scenario(scenario => scenario.KindNoRuntime = true);

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => ClusterChecks.KindClustersAsync(Kind, CancellationToken.None));

        Assert.Contains("kind cannot reach a container runtime: kind get clusters failed (exit 1): ERROR: failed to list clusters: command \"docker ps -a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_janitor_deletes_expired_lane_namespaces_of_a_real_listing_and_leaves_the_rest()
    {
        _cluster.AddCurrentCluster();
        _cluster.Change(state =>
        {
            var namespaces = state.Clusters[SimulatedCluster.CurrentContext].Namespaces;
            namespaces["pr-1-old"] = Namespace(managed: true, "2020-01-01T00:00:00Z");
            namespaces["pr-2-fresh"] = Namespace(managed: true, "2999-01-01T00:00:00Z");
            namespaces["team-payments"] = Namespace(managed: false, "2020-01-01T00:00:00Z");
        });
        var kubectl = new KubectlCli(_cluster.KubectlTool, Runner, _secrets, new KubeConnection(_cluster.Kubeconfig, SimulatedCluster.CurrentContext));

        var report = await new Janitor(kubectl, pullRequests: null, _log, TimeProvider.System).RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(["pr-1-old"], report.Deleted.Select(line => line.Split(':')[0]));
        var after = _cluster.Cluster(SimulatedCluster.CurrentContext).Namespaces;
        Assert.Equal("Terminating", after["pr-1-old"].Phase);
        Assert.Equal("Active", after["team-payments"].Phase);
        Assert.Equal("Active", after["pr-2-fresh"].Phase);
    }

    private static Slipway.FakeCluster.FakeNamespace Namespace(bool managed, string expires) => new()
    {
        Labels = managed ? new() { [PrSmokeLabels.ManagedBy] = "slipway" } : new() { ["team"] = "payments" },
        Annotations = new() { [PrSmokeLabels.ExpiresAt] = expires },
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
