namespace Slipway.Release.Tests.Workflows;

/// <summary>What pr-smoke.yml, pr-comment.yml and janitor.yml need from the generator, proven on stand-in targets.</summary>
public sealed class PrLaneWorkflowTests
{
    private readonly IReadOnlyDictionary<string, WorkflowYaml> _workflows = new PrLaneBuild().Render();

    [Fact]
    public void The_smoke_lane_runs_on_pull_requests_with_read_only_contents_no_secret_an_always_teardown_and_an_always_upload()
    {
        var smoke = _workflows["pr-smoke.yml"];

        Assert.Equal(["pull_request"], smoke.Triggers);
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read" }, smoke.Permissions("smoke"));
        Assert.DoesNotContain(smoke.Scalars("smoke"), scalar => scalar.Contains("secrets.", StringComparison.Ordinal) || scalar.Contains("github.token", StringComparison.Ordinal));
        var steps = smoke.Steps("smoke").ToList();
        Assert.Equal("exec ./build.sh PrSmoke --cluster kind", steps[2].Text("run"));
        Assert.False(steps[2].Has("if"));
        Assert.Equal(("exec ./build.sh PrSmokeTeardown", "always()"), (steps[3].Text("run"), steps[3].Text("if")));
        Assert.Equal("always()", steps[4].Text("if"));
        Assert.Equal("artifacts/pr-smoke.json\nartifacts/diagnostics", steps[4].Text("with", "path"));
        Assert.Equal("${{ github.event_name == 'pull_request' }}", smoke.Root.Text("jobs", "smoke", "concurrency", "cancel-in-progress"));
    }

    [Fact]
    public void The_comment_lane_follows_the_smoke_run_from_the_default_branch_with_only_actions_read_and_pull_requests_write()
    {
        var comment = _workflows["pr-comment.yml"];

        Assert.Equal(["workflow_run"], comment.Triggers);
        Assert.Equal(["PR smoke"], comment.Root.List("on", "workflow_run", "workflows"));
        Assert.Equal(["completed"], comment.Root.List("on", "workflow_run", "types"));
        Assert.Equal(new Dictionary<string, string> { ["actions"] = "read", ["pull-requests"] = "write" }, comment.Permissions("comment"));
        var steps = comment.Steps("comment").ToList();
        Assert.Equal("${{ github.event.repository.default_branch }}", steps[0].Text("with", "ref"));
        Assert.Equal("${{ github.event.workflow_run.id }}", steps[2].Text("with", "run-id"));
        Assert.Equal("${{ runner.temp }}/pr-smoke", steps[2].Text("with", "path"));
        Assert.Equal(("pr", "${{ github.event.workflow_run.head_sha }}"), (steps[3].Text("id"), steps[3].Text("env", "HEAD_SHA")));
        Assert.Contains("\"$GITHUB_OUTPUT\"", steps[3].Text("run"), StringComparison.Ordinal);
        Assert.Equal("exec ./build.sh PrComment --result \"$RUNNER_TEMP/pr-smoke/pr-smoke.json\" --pull-request \"$PR_NUMBER\"", steps[4].Text("run"));
        Assert.Equal("${{ steps.pr.outputs.number }}", steps[4].Text("env", "PR_NUMBER"));
    }

    [Fact]
    public void A_secret_parameter_reaches_only_the_step_that_needs_it_under_its_derived_variable()
    {
        var steps = _workflows.Values.SelectMany(workflow => workflow.JobIds.SelectMany(workflow.Steps)).ToList();

        var withToken = Assert.Single(steps, step => step.Has("env") && step.Text("run").Contains("PrComment", StringComparison.Ordinal));
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", withToken.Text("env", "SLIPWAY_GIT_HUB_TOKEN"));
        var withKubeconfig = Assert.Single(steps, step => step.Has("env") && step.Has("run") && step.Text("run").Contains("PrSmokeJanitor", StringComparison.Ordinal));
        Assert.Equal("${{ secrets.SHARED_CLUSTER_KUBECONFIG }}", withKubeconfig.Text("env", "SLIPWAY_KUBECONFIG"));
        Assert.Equal(3, _workflows.Values.Sum(workflow => workflow.Text.Split("secrets.").Length - 1));
    }

    [Fact]
    public void The_janitor_runs_on_a_schedule_and_by_hand_with_a_dry_run_input_and_does_its_work_only_where_a_shared_cluster_is_configured()
    {
        var janitor = _workflows["janitor.yml"];

        Assert.Equal(["schedule", "workflow_dispatch"], janitor.Triggers);
        Assert.Equal("17 */6 * * *", janitor.Root.Text("on", "schedule", 0, "cron"));
        Assert.Equal(
            new Dictionary<string, string> { ["description"] = "Only list what would be deleted", ["type"] = "boolean", ["required"] = "false", ["default"] = "true" },
            janitor.Root.Map("on", "workflow_dispatch", "inputs", "dry-run"));
        Assert.Equal("${{ secrets.SHARED_CLUSTER_KUBECONFIG != '' }}", janitor.Root.Text("jobs", "janitor", "env", "SHARED_CLUSTER_CONFIGURED"));
        Assert.All(janitor.Steps("janitor"), step => Assert.Equal("env.SHARED_CLUSTER_CONFIGURED == 'true'", step.Text("if")));
        Assert.Equal("false", janitor.Root.Text("jobs", "janitor", "concurrency", "cancel-in-progress"));
    }

    [Fact]
    public void Every_action_of_the_lane_is_pinned_by_a_full_sha_and_every_job_has_a_timeout()
    {
        foreach (var workflow in _workflows.Values)
        {
            Assert.All(workflow.Uses, uses => Assert.True(WorkflowYaml.IsPinned(uses), $"{workflow.Name}: {uses} is not pinned by a full sha"));
            Assert.All(workflow.JobIds, job => Assert.Matches("^[0-9]+$", workflow.Root.Text("jobs", job, "timeout-minutes")));
        }
    }
}
