using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Versioning;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Publishing;

/// <summary>Stamp, package, push and verify a chart: nothing is pushed before every chart gate has passed.</summary>
public interface IChartPublish : IChartGates, IVersioning, IPublishRegistry
{
    string ChartsDirectory => Path.Combine(RootDirectory, "artifacts", "charts");

    /// <summary>The image the stamped chart pins by digest; null when the build publishes no image.</summary>
    ImagePin? ChartImage => null;

    /// <summary>Images that must be pullable anonymously too, with the digest they must resolve to.</summary>
    IEnumerable<(OciReference Reference, string Digest)> PublicImages => [];

    /// <summary>The release's other tags under its version (the image's), set after the chart and checked with it before anything is pushed.</summary>
    IEnumerable<ReleaseTag> ReleaseTags => [];

    Target ChartPackage => _ => _
        .Description("Stamp a staging copy (version, quoted appVersion, image by digest), lint it, package it reproducibly to artifacts/charts/")
        .DependsOn(Version)
        .Produces(async ct =>
        {
            var version = ResultOf<ReleaseVersion>(Version);
            var staging = Path.Combine(RootDirectory, ".nuke", "temp", "staging", Path.GetFileName(ChartPath));
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            var staged = ChartStager.Stage(ChartPath, staging, new ChartStamp(version.Version, version.Version.ToString(), ChartImage));
            Log.Info($"Staged {staged.Name} {staged.Version} (appVersion \"{staged.AppVersion}\"{(staged.Image is null ? string.Empty : $", image {staged.Image}")}) in {Path.GetRelativePath(RootDirectory, staged.Directory)}");

            var helm = await HelmAsync(ct);
            HelmLintReport.Log(Log, $"lint: {staged.Name} {staged.Version} (stamped)", await helm.LintAsync(staged.Directory, [], strict: true, ct));
            var package = await ReproducibleChartPackage.PackageAsync(Processes, helm.Tool.Path, staged.Directory, ChartsDirectory, version.Git.CommitTime, ct);
            Log.Info($"Packaged {Path.GetRelativePath(RootDirectory, package.Path)} ({package.Digest}, reproducible: mtimes are the commit time)");
            return package;
        });

    /// <summary>A publish of a dirty tree is refused here, before anything is pushed, unless --allow-dirty says to release it under its .dirty version.</summary>
    Target IPublishRegistry.PublishPreflight => _ => _
        .Inherit<IPublishRegistry>(x => x.PublishPreflight)
        .DependsOn(Version)
        .Executes(() =>
        {
            var version = ResultOf<ReleaseVersion>(Version);
            if (!IsPlanned(ChartPush))
                return;
            version.EnsureClean(AllowDirty, "Publish");
            if (version.IsDirty)
                Log.Warning($"Publishing uncommitted changes ({version.Git.Changes}) as {version} (--allow-dirty); release.json records the tree as dirty.");
        });

    /// <summary>The ChartPush stage; a build may override it to swap the registry client or helm.</summary>
    async Task<ChartPublisher> ChartPublisherAsync(CancellationToken cancellationToken) => new(RegistryClient, await HelmAsync(cancellationToken), Log);

    /// <summary>The VerifyAnonymousPull stage; a build may override it to swap the registry client or helm.</summary>
    async Task<AnonymousPullVerifier> AnonymousPullVerifierAsync(CancellationToken cancellationToken) =>
        new(RegistryClient, (await HelmAsync(cancellationToken)).WithStateDirectory, CreateTemporaryDirectory, Log);

    /// <summary>helm's registry verbs retry under the build's one registry policy.</summary>
    RegistryRetry IHelm.HelmRegistryRetry => RegistryRetry;

    Target ChartPush => _ => _
        .Description("Check the chart's version and the release's other tags (a taken one is refused, nothing pushed), then helm push the chart to oci://<registry>/charts and read its digest back")
        .DependsOn<IChartGates>()
        .DependsOn(ChartPackage, PublishRegistry, PublishPreflight)
        .Produces(async ct =>
        {
            var publisher = await ChartPublisherAsync(ct);
            var plan = await publisher.PlanAsync(ResultOf<PackagedChart>(ChartPackage), ResultOf<PublishDestination>(PublishRegistry), ReleaseTags, ct);
            var published = await publisher.PushAsync(plan, ct);
            Host.SetOutput("chart-digest", published.Digest);
            return published;
        });

    Target VerifyAnonymousPull => _ => _
        .Description("With no credentials at all, fetch the chart by version (following the token challenge) and helm pull it; digests must match")
        .DependsOn(ChartPush)
        .Produces(async ct =>
        {
            var verifier = await AnonymousPullVerifierAsync(ct);
            return await verifier.VerifyAsync(
                ResultOf<PublishedChart>(ChartPush), ResultOf<PackagedChart>(ChartPackage), ResultOf<PublishDestination>(PublishRegistry), PublicImages, ct);
        });
}
