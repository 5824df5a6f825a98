using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Workflows;
using Slipway.Workflows;
using static Slipway.Workflows.PermissionScope;

namespace Slipway.Release.Pipeline;

/// <summary>
/// The pipeline's GitHub Actions workflows: ci.yml runs <c>Ci</c> on every pull request, push to main and merge group;
/// publish.yml runs <c>Publish</c> to GHCR on main and <c>v*</c> tags, signing keyless. A build keeps its own choices by
/// overriding a member (<see cref="ToolPinningFiles"/>, one workflow, or <see cref="IGitHubWorkflows.Workflows"/> to add one).
/// </summary>
public partial interface IServicePipeline
{
    /// <summary>
    /// The files whose content pins the versions of the tools Slipway provisions, the key of the tool cache: in an adopting
    /// repository the Slipway.Release version in the build project.
    /// </summary>
    IReadOnlyList<string> ToolPinningFiles => ["build/_build.csproj"];

    IEnumerable<GitHubWorkflow> IGitHubWorkflows.Workflows => [CiWorkflow, PublishWorkflow, .. new PrLaneWorkflows(() => BuildSetup).For(this)];

    GitHubWorkflow CiWorkflow =>
        new GitHubWorkflow("ci.yml", "CI")
            .Describe("Every gate a pull request must pass, exactly as `./build.sh Ci` runs it on a laptop.")
            .On(
                WorkflowTrigger.PullRequest(),
                WorkflowTrigger.Push(branches: ["main"]),
                WorkflowTrigger.MergeGroup(),
                WorkflowTrigger.WorkflowDispatch())
            .Job("ci", job => job
                .Named("./build.sh Ci")
                .Grants(Permission.Read(Contents))
                .Timeout(60)
                .Concurrent(WorkflowConcurrency.PerPullRequest)
                .Steps([
                    .. BuildSetup,
                    Step.Runs(Ci),
                    Step.UploadArtifact("test-results", ["artifacts/test-results"]).Always(),
                    Step.UploadArtifact("build-log", [".nuke/temp/build.log"]).Always(),
                ]));

    GitHubWorkflow PublishWorkflow =>
        new GitHubWorkflow("publish.yml", "Publish")
            .Describe(
                "The release to GHCR: image, chart, keyless signature (the job's OIDC identity), release record.",
                "No contents: read: checking out a public repository needs none (a private one would add it).")
            .On(WorkflowTrigger.Push(branches: ["main"], tags: ["v*"]))
            .Job("publish", job => job
                .Named("./build.sh Publish")
                .Grants(Permission.ReadWrite(Packages), Permission.ReadWrite(IdToken))
                .Timeout(45)
                .Concurrent(WorkflowConcurrency.Queued("${{ github.ref }}"))
                .Steps([
                    .. BuildSetup,
                    ReleaseSteps.InstallCosign(),
                    Step.Runs(Publish, "--registry", "\"ghcr.io/${GITHUB_REPOSITORY_OWNER,,}\"")
                        .Commented("GHCR wants lower case; bash lowers the owner (${VAR,,}), which an expression cannot.")
                        .WithParameter(() => this.From<IPublishRegistry>().RegistryUsername, "${{ github.actor }}")
                        .WithSecret(() => this.From<IPublishRegistry>().RegistryPassword, "GITHUB_TOKEN"),
                    Step.UploadArtifact("release", ["artifacts/release.json"], retentionDays: 90).Always(),
                    Step.UploadArtifact("build-log", [".nuke/temp/build.log"]).Always(),
                ]));

    /// <summary>What every job that runs ./build.sh needs first: the code, the SDK, and the caches keyed on what pins their content.</summary>
    IReadOnlyList<WorkflowStep> BuildSetup =>
    [
        Step.Checkout(),
        Step.SetupDotNet(),
        Step.Cache("NuGet packages", ["~/.nuget/packages"], "nuget", ["**/*.csproj", "**/*.props"]),
        Step.Cache("Slipway's tools", ["~/.cache/slipway/tools"], "slipway-tools", ToolPinningFiles),
    ];
}
