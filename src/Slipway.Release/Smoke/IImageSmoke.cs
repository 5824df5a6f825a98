using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tools;
using Slipway.Release.Versioning;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Smoke;

/// <summary>Runs every platform of the built image as the stamped chart runs it, with no cluster, and checks the smoke contract.</summary>
public interface IImageSmoke : IContainerImage, IChartPublish, ISmokeContract
{
    /// <summary>The ImageSmoke stage; a build may override it (or <see cref="SmokeImageRunner"/>) to swap a collaborator.</summary>
    ImageSmoke ImageSmokeStage => new(RegistryClient, SmokeImageRunner, SmokeContractOver(RegistryHttp), CreateTemporaryDirectory, Log);

    /// <summary>How an unpacked image is started: natively in a mount namespace, a foreign architecture under qemu.</summary>
    IImageRunner SmokeImageRunner => new ImageRunner(Processes, Log, new QemuProvisioner(Processes, ToolCache.Default, Log), CreateTemporaryDirectory);

    Target ImageSmoke => _ => _
        .Description("Run each platform of the image as the stamped chart runs it (qemu for the foreign one) and check the smoke contract")
        .DependsOn(ImageBuild, ChartPackage)
        .Produces(async ct =>
        {
            var image = ResultOf<BuiltImage>(ImageBuild);
            var chart = ResultOf<PackagedChart>(ChartPackage);
            var version = ResultOf<ReleaseVersion>(Version);

            var rendered = await (await HelmAsync(ct)).TemplateAsync(chart.Path, "smoke", kubeVersion: KubeVersion, cancellationToken: ct);
            var outcomes = await ImageSmokeStage.RunAsync(
                OciReference.Parse(image.Reference),
                RunSpec.FromRenderedChart(rendered, $"{chart.ChartName} {chart.ChartVersion} (default values)"),
                new SmokeExpectations(version.Version.ToString(), version.Git.Sha, chart.ChartVersion),
                ResultOf<PublishDestination>(PublishRegistry).Credentials,
                ct);
            return Smoke.ImageSmoke.EnsurePassed(outcomes, Log);
        });
}
