using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tools;
using Slipway.Release.Versioning;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Smoke;

/// <summary>Runs every platform of the built image as the stamped chart runs it, with no cluster, and checks the smoke contract.</summary>
public interface IImageSmoke : IContainerImage, IChartPublish
{
    Target ImageSmoke => _ => _
        .Description("Run each platform of the image as the stamped chart runs it (qemu for the foreign one) and check the smoke contract")
        .DependsOn(ImageBuild, ChartPackage)
        .Produces(async ct =>
        {
            var image = ResultOf<BuiltImage>(ImageBuild);
            var chart = ResultOf<PackagedChart>(ChartPackage);
            var version = ResultOf<ReleaseVersion>(Version);
            var destination = ResultOf<PublishDestination>(PublishRegistry);

            var rendered = await (await HelmAsync(ct)).TemplateAsync(chart.Path, "smoke", kubeVersion: KubeVersion, cancellationToken: ct);
            var spec = RunSpec.FromRenderedChart(rendered, $"{chart.ChartName} {chart.ChartVersion} (default values)");
            var smoke = new ImageSmoke(
                RegistryClient,
                new ImageRunner(Processes, Log, new QemuProvisioner(Processes, ToolCache.Default, Log)),
                new SmokeContract(RegistryHttp, Log),
                Log);
            var outcomes = await smoke.RunAsync(
                OciReference.Parse(image.Reference),
                spec,
                new SmokeExpectations(version.Version.ToString(), version.Git.Sha, chart.ChartVersion),
                destination.Credentials,
                ct);

            foreach (var outcome in outcomes)
            {
                switch (outcome)
                {
                    case PlatformSmokeOutcome.Passed passed:
                        Log.Info($"{passed.Platform}: smoke contract passed");
                        break;
                    case PlatformSmokeOutcome.Skipped skipped:
                        Log.Warning($"{skipped.Platform}: skipped: {skipped.Reason}");
                        break;
                    case PlatformSmokeOutcome.Failed failed:
                        Log.Error($"{failed.Platform}: {failed.Message}");
                        break;
                }
            }

            var failures = outcomes.OfType<PlatformSmokeOutcome.Failed>().ToList();
            if (failures.Count > 0)
                throw new InvalidOperationException($"The image does not fit the chart on {string.Join(", ", failures.Select(failure => failure.Platform))}: {failures[0].Message}");
            return outcomes;
        });
}
