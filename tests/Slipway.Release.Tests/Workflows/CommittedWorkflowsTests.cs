using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Release.Workflows;

namespace Slipway.Release.Tests.Workflows;

/// <summary>
/// The workflows committed in this repository (CheckWorkflows keeps them equal to what the build
/// generates), read back with a YAML parser and held to the rules a reviewer would check.
/// </summary>
public sealed class CommittedWorkflowsTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, ".github", "workflows");

    private static readonly IReadOnlyDictionary<string, WorkflowYaml> Workflows = Directory.EnumerateFiles(Folder, "*.yml")
        .Select(path => new WorkflowYaml(Path.GetFileName(path), File.ReadAllText(path)))
        .ToDictionary(workflow => workflow.Name);

    [Fact]
    public void Ci_runs_the_whole_gate_on_pull_requests_main_the_merge_queue_and_by_hand_with_read_only_contents()
    {
        var ci = Workflows["ci.yml"];

        Assert.Equal(["pull_request", "push", "merge_group", "workflow_dispatch"], ci.Triggers);
        Assert.Equal(["main"], ci.Root.List("on", "push", "branches"));
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read" }, ci.Permissions("ci"));
        var steps = ci.Steps("ci").ToList();
        Assert.Contains(steps, step => step.Has("run") && step.Text("run") == "exec ./build.sh Ci");
        var uploads = steps.Where(step => step.Has("uses") && step.Text("uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal)).ToList();
        Assert.Equal(["artifacts/test-results", ".nuke/temp/build.log"], uploads.Select(step => step.Text("with", "path")));
        Assert.All(uploads, step => Assert.Equal("always()", step.Text("if")));
        Assert.Equal("global.json", steps.Single(step => step.Has("uses") && step.Text("uses").StartsWith("actions/setup-dotnet@", StringComparison.Ordinal)).Text("with", "global-json-file"));
    }

    [Fact]
    public void Publish_runs_on_main_and_version_tags_with_packages_and_id_token_write_only_cosign_pinned_and_never_cancelled()
    {
        var publish = Workflows["publish.yml"];

        Assert.Equal(["push"], publish.Triggers);
        Assert.Equal(["main"], publish.Root.List("on", "push", "branches"));
        Assert.Equal(["v*"], publish.Root.List("on", "push", "tags"));
        Assert.Equal(new Dictionary<string, string> { ["id-token"] = "write", ["packages"] = "write" }, publish.Permissions("publish"));
        Assert.Equal("false", publish.Root.Text("jobs", "publish", "concurrency", "cancel-in-progress"));

        var steps = publish.Steps("publish").ToList();
        var cosign = steps.Single(step => step.Has("uses") && step.Text("uses").StartsWith("sigstore/cosign-installer@", StringComparison.Ordinal));
        Assert.Equal($"v{PinnedTools.Cosign.Version.ToString(3)}", cosign.Text("with", "cosign-release"));
        var run = steps.Single(step => step.Has("run"));
        Assert.Equal("exec ./build.sh Publish --registry \"ghcr.io/${GITHUB_REPOSITORY_OWNER,,}\"", run.Text("run"));
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", run.Text("env", "SLIPWAY_REGISTRY_PASSWORD"));
        Assert.Equal("${{ github.actor }}", run.Text("env", "SLIPWAY_REGISTRY_USERNAME"));
        Assert.True(steps.IndexOf(cosign) < steps.IndexOf(run));
        var release = steps.Single(step => step.Has("uses") && step.Text("uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal) && step.Text("with", "name") == "release");
        Assert.Equal(("artifacts/release.json", "always()"), (release.Text("with", "path"), release.Text("if")));
    }

    [Fact]
    public void Pr_smoke_runs_the_lane_on_pull_requests_in_kind_then_always_tears_down_and_uploads_with_read_only_contents_and_cancels_per_pull_request()
    {
        var smoke = Workflows["pr-smoke.yml"];

        Assert.Equal(["pull_request"], smoke.Triggers);
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read" }, smoke.Permissions("smoke"));
        Assert.Contains("github.event.pull_request.number", smoke.Root.Text("jobs", "smoke", "concurrency", "group"), StringComparison.Ordinal);
        Assert.Equal("${{ github.event_name == 'pull_request' }}", smoke.Root.Text("jobs", "smoke", "concurrency", "cancel-in-progress"));

        var steps = smoke.Steps("smoke").ToList();
        var lane = steps.FindIndex(step => step.Has("run") && step.Text("run") == "exec ./build.sh PrSmoke --cluster kind");
        var teardown = steps.FindIndex(step => step.Has("run") && step.Text("run") == "exec ./build.sh PrSmokeTeardown");
        Assert.False(steps[lane].Has("if"));
        Assert.Equal("always()", steps[teardown].Text("if"));
        Assert.True(lane < teardown, "the teardown step must follow the lane");
        var uploads = steps.Skip(teardown + 1).ToList();
        Assert.All(uploads, step => Assert.Equal(("actions/upload-artifact", "always()"), (step.Text("uses").Split('@')[0], step.Text("if"))));
        Assert.Equal(
            [(PrLaneWorkflows.ResultArtifact, "artifacts/pr-smoke.json"), (PrLaneWorkflows.DiagnosticsArtifact, "artifacts/diagnostics\n.nuke/temp/build*.log")],
            uploads.Select(step => (step.Text("with", "name"), step.Text("with", "path"))));
        // Why a cancelled run still leaves nothing behind, said where it matters.
        Assert.Contains("# exec: the runner's SIGINT on cancel (then SIGTERM 7.5 s later) reaches the build itself", smoke.Text, StringComparison.Ordinal);
        Assert.Contains("# Finishes from the state file what a killed or timed-out run could not tear down", smoke.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pr_comment_follows_completed_smoke_runs_from_the_default_branch_reads_the_result_of_that_run_by_its_id_outside_the_checkout_and_may_only_comment()
    {
        var comment = Workflows["pr-comment.yml"];

        Assert.Equal(["workflow_run"], comment.Triggers);
        Assert.Equal([Workflows["pr-smoke.yml"].Root.Text("name")], comment.Root.List("on", "workflow_run", "workflows"));
        Assert.Equal(["completed"], comment.Root.List("on", "workflow_run", "types"));
        Assert.StartsWith("github.event.workflow_run.event == 'pull_request' && ", comment.Root.Text("jobs", "comment", "if"), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["actions"] = "read", ["pull-requests"] = "write" }, comment.Permissions("comment"));
        Assert.Equal("false", comment.Root.Text("jobs", "comment", "concurrency", "cancel-in-progress"));
        Assert.Contains("${{ github.event.workflow_run.head_repository.full_name }}:${{ github.event.workflow_run.head_branch }}", comment.Root.Text("jobs", "comment", "concurrency", "group"), StringComparison.Ordinal);

        var steps = comment.Steps("comment").ToList();
        var checkout = Assert.Single(steps, step => step.Has("uses") && step.Text("uses").StartsWith("actions/checkout@", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, string> { ["ref"] = "${{ github.event.repository.default_branch }}", ["fetch-depth"] = "0", ["persist-credentials"] = "false" }, checkout.Map("with"));
        var download = Assert.Single(steps, step => step.Has("uses") && step.Text("uses").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.Equal(Workflows["pr-smoke.yml"].Steps("smoke").Single(step => step.Has("uses") && step.Text("uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal) && step.Text("with", "path") == "artifacts/pr-smoke.json").Text("with", "name"), download.Text("with", "name"));
        Assert.Equal("${{ github.event.workflow_run.id }}", download.Text("with", "run-id"));
        var folder = download.Text("with", "path");
        Assert.StartsWith("${{ runner.temp }}/", folder, StringComparison.Ordinal);

        var post = steps.Single(step => step.Has("run"));
        Assert.True(steps.IndexOf(download) < steps.IndexOf(post));
        Assert.Equal($"exec ./build.sh PrComment --result \"$RUNNER_TEMP/{folder["${{ runner.temp }}/".Length..]}/pr-smoke.json\"", post.Text("run"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["SLIPWAY_HEAD_SHA"] = "${{ github.event.workflow_run.head_sha }}",
                ["SLIPWAY_RUN_ID"] = "${{ github.event.workflow_run.id }}",
                ["SLIPWAY_RUN_ATTEMPT"] = "${{ github.event.workflow_run.run_attempt }}",
                ["SLIPWAY_GITHUB_TOKEN"] = "${{ secrets.GITHUB_TOKEN }}",
            },
            post.Map("env"));
        Assert.Contains("# Untrusted input: the PR's code wrote it.", comment.Text, StringComparison.Ordinal);
        Assert.Contains("# One at a time per pull request head (repository and branch) and never cancelled", comment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_janitor_runs_on_a_schedule_and_by_hand_as_a_dry_run_does_its_work_only_where_the_kubeconfig_secret_is_set_and_never_overlaps()
    {
        var janitor = Workflows["janitor.yml"];

        Assert.Equal(["schedule", "workflow_dispatch"], janitor.Triggers);
        Assert.Equal(5, janitor.Root.Text("on", "schedule", 0, "cron").Split(' ').Length);
        Assert.Equal(
            new Dictionary<string, string> { ["description"] = "Only list what would be deleted", ["type"] = "boolean", ["required"] = "false", ["default"] = "true" },
            janitor.Root.Map("on", "workflow_dispatch", "inputs", "dry-run"));
        Assert.Equal(new Dictionary<string, string> { ["pull-requests"] = "read" }, janitor.Permissions("janitor"));
        Assert.Equal(new Dictionary<string, string> { ["group"] = "janitor.janitor-shared-cluster", ["cancel-in-progress"] = "false" }, janitor.Root.Map("jobs", "janitor", "concurrency"));
        Assert.Equal("${{ secrets.PR_SMOKE_KUBECONFIG != '' }}", janitor.Root.Text("jobs", "janitor", "env", "PR_SMOKE_CLUSTER_CONFIGURED"));

        var steps = janitor.Steps("janitor").ToList();
        var notice = steps[0];
        Assert.Equal(("env.PR_SMOKE_CLUSTER_CONFIGURED != 'true'", false), (notice.Text("if"), notice.Has("env")));
        Assert.All(steps.Skip(1), step => Assert.Equal("env.PR_SMOKE_CLUSTER_CONFIGURED == 'true'", step.Text("if")));
        var write = steps.Single(step => step.Has("run") && step.Text("run").Contains("umask 077", StringComparison.Ordinal));
        Assert.Equal("${{ secrets.PR_SMOKE_KUBECONFIG }}", write.Text("env", "SHARED_CLUSTER_KUBECONFIG"));
        var sweep = steps.Single(step => step.Has("run") && step.Text("run").StartsWith("exec ./build.sh PrSmokeJanitor", StringComparison.Ordinal));
        Assert.Equal("exec ./build.sh PrSmokeJanitor --cluster current", sweep.Text("run"));
        Assert.StartsWith("${{ runner.temp }}/", sweep.Text("env", "KUBECONFIG"), StringComparison.Ordinal);
        Assert.Equal(write.Text("env", "KUBECONFIG"), sweep.Text("env", "KUBECONFIG"));
        Assert.Equal("${{ inputs.dry-run || false }}", sweep.Text("env", "SLIPWAY_DRY_RUN"));
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", sweep.Text("env", "SLIPWAY_GITHUB_TOKEN"));
        Assert.True(steps.IndexOf(write) < steps.IndexOf(sweep));
    }

    [Fact]
    public void Secrets_reach_only_the_steps_that_need_them_and_no_script_inlines_an_expression()
    {
        var secretUses = new List<string>();
        foreach (var workflow in Workflows.Values)
        {
            foreach (var job in workflow.JobIds)
            {
                if (workflow.Root.At("jobs", job) is YamlDotNet.RepresentationModel.YamlMappingNode { } jobNode && jobNode.Has("env"))
                    secretUses.AddRange(jobNode.Map("env").Where(entry => entry.Value.Contains("secrets.", StringComparison.Ordinal)).Select(entry => $"{workflow.Name} {job} env {entry.Key}"));
                foreach (var step in workflow.Steps(job))
                {
                    if (step.Has("run"))
                        Assert.DoesNotContain("${{", step.Text("run"), StringComparison.Ordinal);
                    foreach (var section in new[] { "env", "with" }.Where(step.Has))
                        secretUses.AddRange(step.Map(section).Where(entry => entry.Value.Contains("secrets.", StringComparison.Ordinal) || entry.Value.Contains("github.token", StringComparison.Ordinal)).Select(entry => $"{workflow.Name} {step.Text("name")} {section} {entry.Key}"));
                }
            }
        }

        Assert.Equal(
            [
                "janitor.yml ./build.sh PrSmokeJanitor env SLIPWAY_GITHUB_TOKEN",
                "janitor.yml Write the shared cluster's kubeconfig env SHARED_CLUSTER_KUBECONFIG",
                "janitor.yml janitor env PR_SMOKE_CLUSTER_CONFIGURED",
                "pr-comment.yml ./build.sh PrComment env SLIPWAY_GITHUB_TOKEN",
                "pr-comment.yml Download pr-smoke-result with github-token",
                "publish.yml ./build.sh Publish env SLIPWAY_REGISTRY_PASSWORD",
            ],
            secretUses.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_job_that_runs_the_build_caches_slipways_tools_keyed_on_every_file_that_pins_one_kind_included()
    {
        var src = Path.Combine(Repository.Root, "src");
        var pinFiles = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("public static PinnedTool ", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'))
            .ToList();
        Assert.Contains(pinFiles, file => File.ReadAllText(Path.Combine(Repository.Root, file)).Contains("public static PinnedTool Kind ", StringComparison.Ordinal));

        foreach (var workflow in Workflows.Values)
        {
            foreach (var job in workflow.JobIds.Where(job => workflow.Steps(job).Any(step => step.Has("run") && step.Text("run").StartsWith("exec ./build.sh ", StringComparison.Ordinal))))
            {
                var cache = Assert.Single(workflow.Steps(job), step => step.Has("uses") && step.Text("uses").StartsWith("actions/cache@", StringComparison.Ordinal) && step.Text("with", "path") == "~/.cache/slipway/tools");
                Assert.All(pinFiles, file => Assert.Contains($"'{file}'", cache.Text("with", "key"), StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Every_workflow_is_generated_pins_every_action_by_sha_with_its_tag_and_gives_each_job_a_timeout_and_a_concurrency_group()
    {
        Assert.Equal(["ci.yml", "janitor.yml", "pr-comment.yml", "pr-smoke.yml", "publish.yml"], Workflows.Keys.Order(StringComparer.Ordinal));
        foreach (var workflow in Workflows.Values)
        {
            Assert.StartsWith("# Generated by ./build.sh GenerateWorkflows", workflow.Text, StringComparison.Ordinal);
            Assert.Empty(workflow.Root.Keys("permissions"));
            Assert.All(workflow.Uses, uses =>
            {
                Assert.True(WorkflowYaml.IsPinned(uses), $"{workflow.Name}: '{uses}' is not pinned by a full commit sha");
                Assert.Matches($@"uses: {System.Text.RegularExpressions.Regex.Escape(uses)} # v\d+\.\d+\.\d+\n", workflow.Text);
            });
            Assert.All(workflow.JobIds, job =>
            {
                Assert.Matches("^[0-9]+$", workflow.Root.Text("jobs", job, "timeout-minutes"));
                Assert.NotEmpty(workflow.Root.Text("jobs", job, "concurrency", "group"));
            });
        }
    }

    [Fact]
    public void No_job_that_runs_pull_request_code_references_a_secret_or_holds_a_write_permission_and_only_publish_can_mint_an_oidc_token()
    {
        foreach (var workflow in Workflows.Values)
        {
            foreach (var job in workflow.JobIds)
            {
                if (workflow.RunsPullRequestCode)
                {
                    Assert.DoesNotContain("write", workflow.Permissions(job).Values);
                    Assert.DoesNotContain(workflow.Scalars(job), scalar => scalar.Contains("secrets.", StringComparison.Ordinal) || scalar.Contains("github.token", StringComparison.Ordinal));
                }

                Assert.Equal(workflow.Name == "publish.yml", workflow.Permissions(job).GetValueOrDefault("id-token") == "write");
            }
        }
    }
}
