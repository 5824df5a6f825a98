using Slipway;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Workflows;
using Slipway.Workflows;
using static Slipway.Workflows.PermissionScope;

/// <summary>
/// This repository's GitHub Actions workflows. <c>./build.sh GenerateWorkflows</c> writes them to .github/workflows;
/// <c>./build.sh Ci</c> fails when the committed files differ (CheckWorkflows) and lints them with actionlint (LintWorkflows).
/// </summary>
partial class Build : IWorkflowLint
{
    IEnumerable<GitHubWorkflow> IGitHubWorkflows.Workflows =>
    [
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
                ])),

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
                    Step.Runs(this.From<IRelease>().Publish, "--registry", "\"ghcr.io/${GITHUB_REPOSITORY_OWNER,,}\"")
                        .Commented("GHCR wants lower case; bash lowers the owner (${VAR,,}), which an expression cannot.")
                        .WithParameter(() => this.From<IPublishRegistry>().RegistryUsername, "${{ github.actor }}")
                        .WithSecret(() => this.From<IPublishRegistry>().RegistryPassword, "GITHUB_TOKEN"),
                    Step.UploadArtifact("release", ["artifacts/release.json"], retentionDays: 90).Always(),
                    Step.UploadArtifact("build-log", [".nuke/temp/build.log"]).Always(),
                ])),

        .. new PrLaneWorkflows(() => BuildSetup).For(this),
    ];

    /// <summary>What every job that runs ./build.sh needs first: the code, the SDK, and the caches keyed on what pins their content.</summary>
    static WorkflowStep[] BuildSetup =>
    [
        Step.Checkout(),
        Step.SetupDotNet(),
        Step.Cache("NuGet packages", ["~/.nuget/packages"], "nuget", ["**/*.csproj", "**/*.props"]),
        Step.Cache("Slipway's tools", ["~/.cache/slipway/tools"], "slipway-tools", ["src/Slipway.Release/Tools/PinnedTools.cs"]),
    ];
}
