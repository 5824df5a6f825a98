using Slipway.Release.Containers;
using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;
using Slipway.Release.Smoke;
using Slipway.Release.Workflows;
using Slipway.Workflows;

namespace Slipway.Release.Tests.Workflows;

/// <summary>
/// A repository that adopts the PR lane as another repository would: the real components, the lane's workflows from
/// <see cref="PrLaneWorkflows"/> with every option changed from its default, and setup steps of its own.
/// </summary>
internal sealed class LaneBuild : SlipwayBuild, IPrSmoke, IPrComment, IGitHubWorkflows
{
    public const string KubeconfigSecret = "STAGING_KUBECONFIG";
    public const string Schedule = "5 * * * *";
    public const int SmokeTimeout = 45;

    string IContainerImage.ImageProject => "src/Service/Service.csproj";

    SmokeEndpoints ISmokeContract.SmokeEndpoints => new(new ProvenanceEndpoint("/version", "version", "git_sha", "chart_version"), ["/api/v1/health"]);

    public IEnumerable<GitHubWorkflow> Workflows =>
        new PrLaneWorkflows(() => [Step.Checkout(), Step.SetupDotNet("src/global.json")])
        {
            KubeconfigSecret = KubeconfigSecret,
            JanitorSchedule = Schedule,
            SmokeTimeoutMinutes = SmokeTimeout,
            PrivateRepository = true,
        }.For(this);

    public IReadOnlyDictionary<string, WorkflowYaml> Render() =>
        ((IGitHubWorkflows)this).RenderWorkflows().ToDictionary(workflow => workflow.FileName, workflow => new WorkflowYaml(workflow.FileName, workflow.Text));
}
