using Slipway.Release.Containers;
using Slipway.Release.DotNet;
using Slipway.Release.GitHub;
using Slipway.Release.Helm.Coverage;
using Slipway.Release.PrSmoke;
using Slipway.Release.Publishing;
using Slipway.Release.Versioning;
using Slipway.Release.Workflows;

namespace Slipway.Release.Pipeline;

/// <summary>
/// The whole pipeline of a repository that ships a .NET service as an image plus a Helm chart, adopted in one line
/// (<c>class Build : SlipwayBuild, IServicePipeline</c>): <c>Ci</c> (compile, tests, every chart gate, the schema and
/// workflow gates), <c>Publish</c> (the release), the PR lane (<c>PrSmoke</c>, <c>PrSmokeTeardown</c>, <c>PrSmokeJanitor</c>,
/// <c>PrComment</c>), and the GitHub Actions workflows that run them. The
/// build declares only what it alone knows: <see cref="IContainerImage.ImageProject"/> and
/// <see cref="Smoke.ISmokeContract.SmokeEndpoints"/> (the chart is the only one under <c>charts/</c> unless it names one).
/// Components added to the pipeline later reach every adopter through this interface.
/// </summary>
public partial interface IServicePipeline : IContainerRelease, IChartCoverage, IDotNetBuild, IBuildSchema, IWorkflowLint, IPrSmoke, IPrComment
{
    Target ChartGates => _ => _
        .Description("Every chart gate: lint, render (valid and invalid cases), strict validation, policy, branch coverage")
        .DependsOn<IChartCoverage>();

    Target Ci => _ => _
        .Description("Every gate a pull request must pass")
        .DependsOn<IDotNetBuild>()
        .DependsOn(ChartGates)
        .DependsOn(CheckBuildSchema)
        .DependsOn(CheckWorkflows, LintWorkflows);

    /// <summary>
    /// The SDK's own properties: <c>Version</c> and <c>SourceRevisionId</c> (the full sha), which the SDK joins into the
    /// assembly's informational version (<c>1.2.3+&lt;sha&gt;</c>), so a service reads both from
    /// <c>AssemblyInformationalVersionAttribute</c> with no property of its own.
    /// </summary>
    IReadOnlyDictionary<string, string> IContainerImage.ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>
    {
        ["Version"] = version.Version.ToString(),
        ["SourceRevisionId"] = version.Git.Sha,
    };
}
