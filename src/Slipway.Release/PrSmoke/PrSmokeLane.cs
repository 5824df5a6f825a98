using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.Oci;
using Slipway.Release.Smoke;
using Slipway.Release.Versioning;

namespace Slipway.Release.PrSmoke;

/// <summary>What the deployment needs from the targets before it: the checked cluster, the stamped chart, the image pin.</summary>
public sealed record PrSmokeLaneRequest(PrSmokeClusterReady Cluster, ChartPackage Chart, ImagePin Image, ReleaseVersion Version, TimeSpan Ttl, TimeSpan InstallTimeout)
{
    /// <summary>Where the image's blobs are read from for a kind archive.</summary>
    public required IImageSource ImageSource { get; init; }

    /// <summary>The registry the PR tag is pushed to for a cluster that pulls.</summary>
    public required OciRegistryClient RegistryClient { get; init; }

    public RegistryCredentials? Credentials { get; init; }

    /// <summary>For the smoke contract's requests through the port-forward.</summary>
    public required HttpClient ContractHttp { get; init; }

    /// <summary>What the contract checks besides the chart's probes: the build's declaration (<see cref="ISmokeContract.SmokeEndpoints"/>).</summary>
    public required SmokeEndpoints Endpoints { get; init; }

    /// <summary>Where the image archive is written (and deleted once loaded).</summary>
    public required string WorkDirectory { get; init; }

    public required string DiagnosticsDirectory { get; init; }

    public required string RootDirectory { get; init; }
}

/// <summary>
/// The PR smoke's deployment, step by step, each recorded whatever its end: image into the cluster (after proving the
/// render deploys exactly it), namespace, install, workload check, smoke; on a failure (not a cancellation: then the
/// runner's seconds belong to the teardown) the diagnostics are collected before the failure goes on.
/// </summary>
public sealed class PrSmokeLane(PrSmokeRecorder record, IKubectlCli kubectl, IHelmReleases helm, IKindCli? kind, PrSmokeStateStore store, IBuildLog log, TimeProvider time)
{
    public TimeSpan SmokeReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<PrSmokeDeployment> DeployAsync(PrSmokeLaneRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Cluster.Plan;
        var pin = request.Image;
        var release = PrSmokeNames.Release(request.Chart.ChartName, plan.Suffix, plan.Namespace);
        record.Image = new PrSmokeImage(pin.ToString(), pin.Digest);

        var render = await record.StepAsync(PrSmokeStepName.Load, () => DeliverAsync(request, release, cancellationToken), cancellationToken);

        var state = new PrSmokeState(plan.Namespace, kubectl.Connection, request.Cluster.CreatedKindCluster, release, time.GetUtcNow());
        await record.StepAsync(
            PrSmokeStepName.Namespace,
            async () => (true, await new NamespaceStage(kubectl, store, log, time).CreateAsync(state, plan.Key.PullRequest, request.Version.Git.ShortSha, plan.Key.RunId, request.Ttl, cancellationToken)),
            cancellationToken);
        record.Namespace = plan.Namespace;
        record.ReleaseName = release;

        try
        {
            var deadline = time.GetUtcNow() + request.InstallTimeout;
            var install = new HelmInstall(release, request.Chart.Path, plan.Namespace, kubectl.Connection, request.InstallTimeout);
            var workloads = new WorkloadCheck(kubectl, log, time);
            await record.StepAsync(
                PrSmokeStepName.Install,
                async () => (true, await new InstallStage(helm, log).InstallAsync(install, () => workloads.NotReadyAsync(plan.Namespace, pin, cancellationToken), cancellationToken)),
                cancellationToken);
            await record.StepAsync(PrSmokeStepName.Workloads, async () => (true, await workloads.RunAsync(plan.Namespace, deadline, pin, cancellationToken)), cancellationToken);
            var smoke = await record.StepAsync(PrSmokeStepName.Smoke, () => SmokeAsync(request, render, cancellationToken), cancellationToken);
            return new PrSmokeDeployment(plan.Namespace, release, pin, smoke);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await DiagnoseAsync(request, plan.Namespace, release, cancellationToken);
            throw;
        }
    }

    private async Task<(RenderedRelease, string)> DeliverAsync(PrSmokeLaneRequest request, string release, CancellationToken cancellationToken)
    {
        var plan = request.Cluster.Plan;
        var chart = request.Chart;
        var rendered = await helm.TemplateAsync(chart.Path, release, kubeVersion: request.Cluster.Cluster.ServerVersion, cancellationToken: cancellationToken);
        var render = RenderedRelease.Parse(rendered, $"{chart.ChartName} {chart.ChartVersion} as {release}");
        ImageDelivery.ProveRendered(render, request.Image);
        var prTag = ImageDelivery.PrTag(plan.Key.PullRequest, request.Version.Git.ShortSha);
        var delivery = new ImageDelivery(log);
        if (kind is null)
            return (render, await delivery.PushPrTagAsync(request.RegistryClient, request.Image, prTag, request.Credentials, cancellationToken));

        var archive = Path.Combine(request.WorkDirectory, $"{plan.Namespace}.image.tar");
        try
        {
            return (render, await delivery.LoadIntoKindAsync(kind, plan.KindCluster!, request.ImageSource, request.Image, prTag, archive, cancellationToken));
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private async Task<(SmokeResult, string)> SmokeAsync(PrSmokeLaneRequest request, RenderedRelease render, CancellationToken cancellationToken)
    {
        var expected = new SmokeExpectations(request.Version.Version.ToString(), request.Version.Git.Sha, request.Chart.ChartVersion);
        var contract = new SmokeContract(request.ContractHttp, log, request.Endpoints) { ReadyTimeout = SmokeReadyTimeout };
        var (result, forward) = await new ServiceSmoke(kubectl, contract, log).RunAsync(request.Cluster.Plan.Namespace, render, expected, cancellationToken);
        record.SmokeChecks = [.. result.Checks.Select(check => new PrSmokeCheck(PrSmokeText.Fit(check.Name, PrSmokeLimits.Name).ReplaceLineEndings(" "), check.Passed, PrSmokeText.Fit(check.Message, PrSmokeLimits.Detail)))];
        if (!result.Passed)
            throw new PrSmokeException($"The smoke contract failed through {forward}: {string.Join("; ", result.Failures.Select(failure => $"{failure.Name}: {failure.Message}"))}");
        return (result, $"{result.Checks.Count} checks passed through {forward}");
    }

    /// <summary>Collects what the namespace shows; a diagnostics failure is recorded, never allowed to hide the failure being diagnosed.</summary>
    private async Task DiagnoseAsync(PrSmokeLaneRequest request, string inNamespace, string release, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(request.DiagnosticsDirectory, inNamespace);
        try
        {
            var report = await record.StepAsync(
                PrSmokeStepName.Diagnostics,
                async () =>
                {
                    var collected = await new DiagnosticsCollector(kubectl, helm, log).CollectAsync(inNamespace, release, directory, cancellationToken);
                    return (collected, $"{collected.Files.Count} files");
                },
                cancellationToken);
            var location = Path.GetRelativePath(request.RootDirectory, directory).Replace(Path.DirectorySeparatorChar, '/') + "/";
            record.Diagnostics = new PrSmokeDiagnostics(location, report.Summary);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            log.Warning($"Diagnostics incomplete: {error.Message}");
        }
    }
}
