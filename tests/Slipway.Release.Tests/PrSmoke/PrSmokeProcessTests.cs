using System.Text.Json;
using Slipway.Release.Oci;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Fakes;
using Slipway.Release.Tests.Support;
using Slipway.Secrets;

namespace Slipway.Release.Tests.PrSmoke;

/// <summary>
/// The lane as a user runs it: the real ./build.sh of a repository adopting IPrSmoke, the real SDK image build, real
/// helm rendering, a real Beacon behind the port-forward, and only kubectl, helm's cluster verbs and kind faked at the
/// process boundary. Signals are sent to the build process as GitHub Actions sends them.
/// </summary>
[Collection(PrSmokeLaneCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PrSmokeProcessTests(PrSmokeLaneFixture lane) : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(6);

    /// <summary>--cancellation-budget's default, plus room for the process to start its exit.</summary>
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(7 + 3);

    private readonly SimulatedCluster _cluster = new(lane.RealHelm);

    public void Dispose()
    {
        _cluster.Dispose();
        var states = Path.Combine(lane.Workspace.Root, ".nuke", "temp", "pr-smoke");
        if (Directory.Exists(states))
            Directory.Delete(states, recursive: true);
    }

    private string ResultFile => Path.Combine(lane.Workspace.Root, "artifacts", PrSmokeResult.FileName);

    private string StateDirectory => Path.Combine(lane.Workspace.Root, ".nuke", "temp", "pr-smoke");

    private string[] Lane(string cluster, params string[] more) =>
    [
        "PrSmoke", "--cluster", cluster, "--kind", _cluster.Kind, "--kubectl", _cluster.Kubectl, "--helm", _cluster.Helm,
        "--pull-request", PrSmokeLaneFixture.PullRequest.ToString(System.Globalization.CultureInfo.InvariantCulture), "--registry", lane.Registry.Address,
        "--install-timeout", "20", "--skip", "ChartLint", "ChartRender", "ManifestValidate", "ChartPolicy", .. more,
    ];

    private Dictionary<string, string> Current => new() { ["KUBECONFIG"] = _cluster.Kubeconfig };

    [Fact]
    public async Task A_pull_request_is_deployed_into_a_kind_cluster_smoked_against_the_real_app_and_everything_is_torn_down()
    {
        await using var beacon = await lane.StartBeaconAsync();
        _cluster.Scenario(scenario => scenario.Backend = beacon.Address);
        File.Delete(ResultFile);

        var (exitCode, output) = await BuildProcess.RunAsync(lane.Workspace.Root, null, RunLimit, Lane("kind"));

        Assert.True(exitCode == 0, output);
        var result = PrSmokeResult.ReadFile(ResultFile);
        Assert.Equal(PrSmokeStatus.Passed, result.Status);
        Assert.Equal(lane.Expected.Version.ToString(), result.Version);
        Assert.All(result.Steps.Where(step => step.Name != PrSmokeStepName.Diagnostics), step => Assert.Equal(PrSmokeStepStatus.Passed, step.Status));
        Assert.Equal(4, result.SmokeChecks.Count);
        Assert.Contains("linux/amd64)", result.Steps.Single(step => step.Name == PrSmokeStepName.Image).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("arm64", result.Steps.Single(step => step.Name == PrSmokeStepName.Image).Detail, StringComparison.Ordinal);

        var kind = _cluster.CallsOf("kind");
        Assert.Contains(kind, call => call.StartsWith("create cluster --name slipway-pr-7 --wait", StringComparison.Ordinal));
        Assert.Contains(kind, call => call.StartsWith("load image-archive", StringComparison.Ordinal));
        Assert.Contains(kind, call => call.StartsWith("delete cluster --name slipway-pr-7", StringComparison.Ordinal));
        Assert.Contains(_cluster.CallsOf("helm"), call => call.StartsWith($"upgrade --install {result.ReleaseName} ", StringComparison.Ordinal) && call.Contains("--wait --wait-for-jobs --timeout 20s", StringComparison.Ordinal));
        Assert.Contains(_cluster.CallsOf("kubectl"), call => call.StartsWith("port-forward svc/", StringComparison.Ordinal));
        Assert.Empty(_cluster.State.Clusters);
        Assert.Empty(Directory.Exists(StateDirectory) ? Directory.GetFiles(StateDirectory) : []);
        Assert.All(_cluster.Calls, call => Assert.False(BuildProcess.IsRunning(call.Pid), $"{call.Tool} {call.Line} is still running"));
    }

    [Theory]
    [InlineData(BuildProcess.SigTerm, 143)]
    [InlineData(BuildProcess.SigInt, 130)]
    public async Task A_signal_during_a_hanging_install_exits_within_the_budget_after_uninstalling_and_deleting_the_namespace(int signal, int expectedExitCode)
    {
        _cluster.Scenario(scenario => scenario.HelmWaitHangs = true);
        using var build = BuildProcess.Start(lane.Workspace.Root, null, Lane("kind"));
        await WaitForCallAsync(build, "helm", "upgrade --install");

        build.Signal(signal);
        var exitCode = await build.WaitAsync(SignalLimit);

        Assert.True(exitCode == expectedExitCode, build.Output);
        var calls = _cluster.Calls;
        var install = calls.ToList().FindIndex(call => call.Tool == "helm" && call.Line.StartsWith("upgrade --install", StringComparison.Ordinal));
        var after = calls.Skip(install + 1).Select(call => $"{call.Tool} {call.Line}").ToList();
        Assert.Contains(after, call => call.StartsWith("helm uninstall beacon-", StringComparison.Ordinal));
        Assert.Contains(after, call => call.StartsWith("kubectl delete namespace pr-7-", StringComparison.Ordinal) && call.Contains("--wait=false", StringComparison.Ordinal));
        Assert.Contains(after, call => call.StartsWith("kind delete cluster --name slipway-pr-7", StringComparison.Ordinal));
        Assert.All(calls, call => Assert.False(BuildProcess.IsRunning(call.Pid), $"{call.Tool} {call.Line} is still running"));
        Assert.Empty(_cluster.State.Clusters);
        Assert.Equal(PrSmokeStatus.Cancelled, PrSmokeResult.ReadFile(ResultFile).Status);
    }

    [Fact]
    public async Task After_a_sigkill_PrSmokeTeardown_removes_what_the_state_file_names_and_then_has_nothing_to_do()
    {
        _cluster.AddCurrentCluster();
        _cluster.Scenario(scenario => scenario.HelmWaitHangs = true);
        using var build = BuildProcess.Start(lane.Workspace.Root, Current, Lane("current"));
        await WaitForCallAsync(build, "helm", "upgrade --install");
        await AssertPrTagPushedAsync();

        build.Signal(BuildProcess.SigKill);
        await build.WaitAsync(SignalLimit);
        // A killed build cannot stop its children: the hanging helm is an orphan now, as it would be on a runner.
        foreach (var call in _cluster.Calls)
            BuildProcess.KillIfRunning(call.Pid);
        var state = Assert.Single(new PrSmokeStateStore(StateDirectory).LoadAll());
        Assert.NotNull(state.Release);
        Assert.Contains(state.Namespace, _cluster.Cluster(SimulatedCluster.CurrentContext).Namespaces.Keys);

        var (exitCode, output) = await BuildProcess.RunAsync(lane.Workspace.Root, Current, RunLimit, "PrSmokeTeardown", "--kubectl", _cluster.Kubectl, "--helm", _cluster.Helm);

        Assert.True(exitCode == 0, output);
        var cluster = _cluster.Cluster(SimulatedCluster.CurrentContext);
        Assert.False(cluster.Namespaces.ContainsKey(state.Namespace), output);
        Assert.Empty(cluster.Releases);
        Assert.Contains(_cluster.CallsOf("helm"), call => call.StartsWith($"uninstall {state.Release} --namespace {state.Namespace}", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(StateDirectory));

        var (again, againOutput) = await BuildProcess.RunAsync(lane.Workspace.Root, Current, RunLimit, "PrSmokeTeardown", "--kubectl", _cluster.Kubectl, "--helm", _cluster.Helm);
        Assert.True(again == 0, againOutput);
        Assert.Contains("nothing to tear down", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_cluster_it_fails_in_seconds_naming_what_is_missing_and_builds_and_creates_nothing()
    {
        File.Delete(ResultFile);

        var (exitCode, output) = await BuildProcess.RunAsync(lane.Workspace.Root, new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(_cluster.Root, "no-such-kubeconfig") }, RunLimit, Lane("current"));

        Assert.True(exitCode == 1, output);
        Assert.Contains("No cluster to deploy to", output, StringComparison.Ordinal);
        Assert.Contains("Next step: point KUBECONFIG at a cluster", output, StringComparison.Ordinal);
        Assert.Contains("ImageBuild not run: PrSmokePreconditions failed", output, StringComparison.Ordinal);
        Assert.Contains("PublishRegistry not run", output, StringComparison.Ordinal);
        Assert.Equal(["config current-context"], _cluster.CallsOf("kubectl").Where(call => call != "version --client"));
        Assert.Empty(Directory.Exists(StateDirectory) ? Directory.GetFiles(StateDirectory) : []);
        var result = PrSmokeResult.ReadFile(ResultFile);
        Assert.Equal((PrSmokeStatus.Failed, PrSmokeStepStatus.Failed), (result.Status, result.Steps[0].Status));
    }

    [Fact]
    public async Task An_unreachable_context_fails_before_anything_is_built_naming_the_context()
    {
        _cluster.AddCurrentCluster();
        _cluster.Scenario(scenario => scenario.Unreachable = true);

        var (exitCode, output) = await BuildProcess.RunAsync(lane.Workspace.Root, Current, RunLimit, Lane("current"));

        Assert.True(exitCode == 1, output);
        Assert.Contains($"The cluster of context '{SimulatedCluster.CurrentContext}' (https://127.0.0.1:6443", output, StringComparison.Ordinal);
        Assert.Contains("was refused", output, StringComparison.Ordinal);
        Assert.Contains("ImageBuild not run", output, StringComparison.Ordinal);
        Assert.DoesNotContain(_cluster.CallsOf("kubectl"), call => call.StartsWith("create", StringComparison.Ordinal));
    }

    private async Task WaitForCallAsync(BuildProcess build, string tool, string prefix)
    {
        var deadline = DateTime.UtcNow + RunLimit;
        while (!_cluster.CallsOf(tool).Any(call => call.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{tool} {prefix}' call within {RunLimit.TotalMinutes} min:\n{build.Output}");
            await Task.Delay(200);
        }

        // Let the fake get past recording its call into its wait.
        await Task.Delay(500);
    }

    private async Task AssertPrTagPushedAsync()
    {
        using var http = new HttpClient();
        var client = new OciRegistryClient(http, new SecretRegistry(), new RecordingLog());
        var tag = OciReference.Parse($"{lane.Registry.Address}/beacon:pr-{PrSmokeLaneFixture.PullRequest}-{lane.Expected.Git.ShortSha}");
        var found = Assert.IsType<ManifestResolution.Found>(await client.ResolveManifestAsync(tag));
        var result = JsonDocument.Parse(found.Content).RootElement.GetProperty("manifests").GetArrayLength();
        Assert.Equal(1, result);
    }
}
