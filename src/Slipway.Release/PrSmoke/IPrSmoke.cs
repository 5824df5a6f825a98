using Slipway.Release.Containers;
using Slipway.Release.GitHub;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Smoke;
using Slipway.Release.Versioning;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.PrSmoke;

/// <summary>What the lane deployed and what the smoke found.</summary>
public sealed record PrSmokeDeployment(string Namespace, string Release, ImagePin Image, SmokeResult Smoke);

/// <summary>
/// The per-pull-request lane: the image (one platform) and the chart stamped exactly as Publish stamps it, deployed into
/// a namespace of its own in a kind cluster or the current kube context, every workload checked, the smoke contract run
/// through a port-forward, diagnostics collected on failure, and everything torn down whatever happens (also on SIGINT and
/// SIGTERM; after a SIGKILL, <c>PrSmokeTeardown</c> finishes from the state file). The result goes to
/// <c>artifacts/pr-smoke.json</c> for the trusted job that comments on the PR.
/// </summary>
public interface IPrSmoke : IContainerRelease, IKubectl, IKind, IGitHub
{
    [Parameter("Where the PR smoke deploys: Kind (a cluster in the runner) or Current (the current kube context); default Kind in GitHub Actions, else Current")]
    PrSmokeClusterMode Cluster => ParameterValue<PrSmokeClusterMode?>(nameof(Cluster)) ?? (Variable("GITHUB_ACTIONS") == "true" ? PrSmokeClusterMode.Kind : PrSmokeClusterMode.Current);

    [Parameter("The kind cluster to use or create (default: one named for the run, deleted at its end)")]
    string? KindCluster => ParameterValue<string>(nameof(KindCluster));

    [Parameter("Seconds a PR smoke namespace may live before the janitor deletes it")]
    TimeSpan Ttl => ParameterValue<TimeSpan?>(nameof(Ttl)) ?? TimeSpan.FromHours(2);

    [Parameter("Seconds helm --wait and the workload check get for the release to become ready")]
    TimeSpan InstallTimeout => ParameterValue<TimeSpan?>(nameof(InstallTimeout)) ?? TimeSpan.FromMinutes(5);

    [Parameter("Janitor: only say what would be deleted (default: true outside CI, false in CI)")]
    bool DryRun => ParameterValue<bool?>(nameof(DryRun)) ?? Variable("CI") != "true";

    [Parameter("The one platform the PR smoke builds the image for: its cluster's nodes'")]
    string PrSmokePlatform => ParameterValue<string>(nameof(PrSmokePlatform)) ?? "linux/amd64";

    /// <summary>The lane proves the chart on its cluster's architecture only; multi-arch is Publish's proof (with Publish in the same run, it wins).</summary>
    IReadOnlyList<string> IContainerImage.ImageBuildPlatforms => IsPlanned(PrSmoke) && !IsPlanned(Publish) ? [PrSmokePlatform] : Platforms;

    /// <summary>For the janitor: GitHub's answer to "is this pull request closed?" where a token and the repository are known; else null (expiry only).</summary>
    IPullRequestStates? JanitorPullRequests =>
        (GithubToken is { Length: > 0 } || Variable("GITHUB_TOKEN") is not null) && GithubRepository is not null ? GitHubPullRequests : null;

    string PrSmokeStateDirectory => Path.Combine(RootDirectory, ".nuke", "temp", "pr-smoke");

    string DiagnosticsDirectory => Path.Combine(RootDirectory, "artifacts", "diagnostics");

    /// <summary>The run's record, filled by the lane's targets, written once at the end.</summary>
    PrSmokeRecorder PrSmokeRecord => Shared(() => new PrSmokeRecorder(TimeProvider.System));

    Target PrSmokePreconditions => _ => _
        .Description("PR smoke: tools, cluster, namespace permissions and kubeVersion checked before anything is built or created")
        .DependsOn(Version)
        .Before(PublishRegistry, ChartLint, ChartRender)
        .Produces(ct => PrSmokeRecord.StepAsync(PrSmokeStepName.Cluster, () => PreconditionsAsync(ct), ct))
        .Cleanup(_ => WritePrSmokeResult());

    Target PrSmokeCluster => _ => _
        .Description("PR smoke: create (or reuse) the kind cluster and check it, or take the checked current context")
        .DependsOn(PrSmokePreconditions)
        .Produces(ct => PrSmokeRecord.StepAsync(PrSmokeStepName.Cluster, () => ProvideClusterAsync(ResultOf<PrSmokePlan>(PrSmokePreconditions), ct), ct))
        .Cleanup(TearDownThisRunAsync);

    Target PrSmoke => _ => _
        .Description("Deploy this PR into an ephemeral namespace, check every workload, smoke it through a port-forward, diagnose failures, always tear down")
        .DependsOn(PrSmokeCluster, ChartPackage)
        .Produces(DeployAsync);

    Target PrSmokeTeardown => _ => _
        .Description("Tear down what PR smoke state files name (a run killed before its own teardown); nothing to do is no error")
        .Executes(TearDownFromStateFilesAsync);

    Target PrSmokeJanitor => _ => _
        .Description("Delete expired PR smoke namespaces (labelled managed-by=slipway) of the current kube context; a dry run outside CI")
        .Executes(async ct =>
        {
            var cluster = await new ClusterChecks(Log).ReachAsync(await KubectlCliAsync(KubeConnection.Default, ct), ct);
            await new Janitor(await KubectlCliAsync(cluster.Connection, ct), JanitorPullRequestsSaid(), Log, TimeProvider.System).RunAsync(DryRun, ct);
        });

    private IPullRequestStates? JanitorPullRequestsSaid()
    {
        var pullRequests = JanitorPullRequests;
        Log.Info(pullRequests is null
            ? "No GitHub token (SLIPWAY_GITHUB_TOKEN or GITHUB_TOKEN) and repository: only expired namespaces are deleted, not those of closed pull requests."
            : $"Namespaces of closed pull requests of {GithubRepository} are deleted too (asked through GitHub's API).");
        return pullRequests;
    }

    async Task<IKubectlCli> KubectlCliAsync(KubeConnection connection, CancellationToken cancellationToken) =>
        new KubectlCli(await KubectlAsync(cancellationToken), Processes, Secrets, connection);

    private async Task<(PrSmokePlan, string)> PreconditionsAsync(CancellationToken cancellationToken)
    {
        PrSmokeRecord.WatchCancellation(cancellationToken);
        var key = PrSmokeRunContext.Key(PullRequest ?? IVersioning.PullRequestFromGitHub(Variable("GITHUB_REF")), Variable);
        // helm and kubectl are needed in either mode: resolving them here fails before anything is built when they are missing.
        var helm = await HelmAsync(cancellationToken);
        var kubectl = await KubectlCliAsync(KubeConnection.Default, cancellationToken);
        if (Cluster == PrSmokeClusterMode.Current)
        {
            var plan = await new ClusterPreparation(Log, TimeProvider.System).PlanCurrentAsync(kubectl, helm, ChartPath, !string.IsNullOrWhiteSpace(Registry), key, PrSmokeNames.RandomSuffix(), cancellationToken);
            PrSmokeRecord.Cluster = new PrSmokeCluster(PrSmokeClusterMode.Current, plan.Checked!.Connection.Context!, plan.Checked.ServerVersion);
            return (plan, $"context {plan.Checked.Connection.Context} ({plan.Checked.Server}), Kubernetes {plan.Checked.ServerVersion}");
        }

        var kind = await ClusterPreparation.PlanKindAsync(await KindAsync(cancellationToken), KindCluster, PrSmokeStateDirectory, key, PrSmokeNames.RandomSuffix(), cancellationToken);
        return (kind, $"kind answers; cluster {kind.KindCluster}");
    }

    private async Task<(PrSmokeClusterReady, string)> ProvideClusterAsync(PrSmokePlan plan, CancellationToken cancellationToken)
    {
        var ready = await new ClusterPreparation(Log, TimeProvider.System).ProvideAsync(
            plan, KindAsync, await KubectlCliAsync(plan.Connection, cancellationToken), await HelmAsync(cancellationToken), ChartPath, new PrSmokeStateStore(PrSmokeStateDirectory), cancellationToken);
        PrSmokeRecord.Cluster = new PrSmokeCluster(plan.Mode, ready.Cluster.Connection.Context!, ready.Cluster.ServerVersion);
        return (ready, plan.Mode == PrSmokeClusterMode.Current
            ? $"using context {ready.Cluster.Connection.Context}"
            : $"kind cluster {plan.KindCluster} {(ready.CreatedKindCluster is null ? "reused" : "created")}, Kubernetes {ready.Cluster.ServerVersion}");
    }

    private async Task<PrSmokeDeployment> DeployAsync(CancellationToken cancellationToken)
    {
        var ready = ResultOf<PrSmokeClusterReady>(PrSmokeCluster);
        var image = ResultOf<BuiltImage>(ImageBuild);
        var version = ResultOf<ReleaseVersion>(Version);
        var chart = ResultOf<PackagedChart>(ChartPackage);
        var destination = ResultOf<PublishDestination>(PublishRegistry);
        var reference = OciReference.Parse(image.Reference);
        var lane = new PrSmokeLane(
            PrSmokeRecord,
            await KubectlCliAsync(ready.Cluster.Connection, cancellationToken),
            await HelmAsync(cancellationToken),
            ready.Plan.Mode == PrSmokeClusterMode.Kind ? await KindAsync(cancellationToken) : null,
            new PrSmokeStateStore(PrSmokeStateDirectory),
            Log,
            TimeProvider.System);
        return await lane.DeployAsync(
            new PrSmokeLaneRequest(ready, chart, new ImagePin($"{reference.Registry}/{reference.Repository}", image.IndexDigest), version, Ttl, InstallTimeout)
            {
                ImageSource = new RegistryImageSource(RegistryClient, reference, destination.Credentials),
                RegistryClient = RegistryClient,
                Credentials = destination.Credentials,
                ContractHttp = RegistryHttp,
                Endpoints = SmokeEndpoints,
                WorkDirectory = PrSmokeStateDirectory,
                DiagnosticsDirectory = DiagnosticsDirectory,
                RootDirectory = RootDirectory,
            },
            cancellationToken);
    }

    private async Task TearDownThisRunAsync(CancellationToken cancellationToken)
    {
        var plan = TryResultOf<PrSmokePlan>(PrSmokePreconditions);
        var store = new PrSmokeStateStore(PrSmokeStateDirectory);
        var state = plan is null ? null : store.LoadAll().FirstOrDefault(candidate => candidate.Namespace == plan.Namespace);
        if (state is null)
            return;
        // After a signal only the runner's grace period is left: what remains of --cancellation-budget, minus time to write the result.
        var policy = PrSmokeRecord.SinceCancelled is { } since
            ? TeardownPolicy.Fast(TimeSpan.FromSeconds(ParameterValue<int>("CancellationBudget")) - since - TimeSpan.FromSeconds(1.5))
            : TeardownPolicy.Thorough;
        var report = await PrSmokeRecord.StepAsync(PrSmokeStepName.Teardown, async () =>
        {
            var done = await TearDownAsync(store, state, policy, cancellationToken);
            return done.Failed ? throw new PrSmokeException($"The teardown did not finish: {done.Detail}") : (done, done.Detail);
        }, cancellationToken);
        if (!report.Complete)
            Log.Warning($"Not everything is confirmed gone yet; {store.PathFor(state.Namespace)} stays for ./build.sh PrSmokeTeardown.");
    }

    private async Task TearDownFromStateFilesAsync(CancellationToken cancellationToken)
    {
        var store = new PrSmokeStateStore(PrSmokeStateDirectory);
        var states = store.LoadAll();
        if (states.Count == 0)
        {
            Log.Info($"No PR smoke state in {Path.GetRelativePath(RootDirectory, store.Directory)}: nothing to tear down.");
            return;
        }

        var unfinished = new List<string>();
        foreach (var state in states)
        {
            Log.Info($"Tearing down {state.Namespace} (recorded {PrSmokeLabels.FormatTime(state.CreatedAt)}, {state.Connection})");
            var report = await TearDownAsync(store, state, TeardownPolicy.Thorough, cancellationToken);
            if (!report.Complete)
                unfinished.Add($"{state.Namespace}: {report.Detail}");
        }

        if (unfinished.Count > 0)
            throw new PrSmokeException($"Not everything is gone; the state files stay for another try: {string.Join("; ", unfinished)}");
    }

    private async Task<TeardownReport> TearDownAsync(PrSmokeStateStore store, PrSmokeState state, TeardownPolicy policy, CancellationToken cancellationToken)
    {
        var teardown = new Teardown(await KubectlCliAsync(state.Connection, cancellationToken), await HelmAsync(cancellationToken), KindAsync, Log, TimeProvider.System);
        var report = await teardown.RunAsync(state, policy, cancellationToken);
        if (report.Complete)
        {
            store.Delete(state.Namespace);
            if (state.KindCluster is not null && state.Connection.Kubeconfig is { } kubeconfig)
                File.Delete(kubeconfig);
        }

        return report;
    }

    private Task WritePrSmokeResult()
    {
        if (TryResultOf<ReleaseVersion>(Version) is not { } version)
            return Task.CompletedTask;
        PrSmokeRecord.RecordImage(
            IsPlanned(ImageBuild) ? OutcomeOf(ImageBuild) : null, TryResultOf<BuiltImage>(ImageBuild), IsPlanned(ChartPackage) ? OutcomeOf(ChartPackage) : null);
        var key = TryResultOf<PrSmokePlan>(PrSmokePreconditions)?.Key ?? new PrSmokeRunKey(PullRequest is > 0 ? PullRequest : null, null, null);
        var result = PrSmokeRecord.ToResult(PrSmokeRunContext.Identity(version, key, Variable));
        var path = result.WriteTo(ArtifactsDirectory);
        Report.AddSection("PR smoke", PrSmokeMarkdown.Render(result));
        Log.Info($"PR smoke {StrictEnumConverter<PrSmokeStatus>.NameOf(result.Status)}: {Path.GetRelativePath(RootDirectory, path)} written");
        return Task.CompletedTask;
    }
}
