using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.GitHub;

/// <summary><c>PrComment</c> as a build runs it: parameters, the result file, the token, against WireMock.Net playing GitHub.</summary>
public sealed class PrCommentTargetTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeGitHub _github = new(FakeGitHub.ActionsBot);

    public PrCommentTargetTests()
    {
        Directory.CreateDirectory(_root.Combine(".nuke"));
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
    }

    public void Dispose()
    {
        _github.Dispose();
        _root.Dispose();
    }

    private sealed class CommentBuild : SlipwayBuild, IPrComment;

    [Fact]
    public async Task Posts_the_result_with_the_token_from_the_environment_and_never_shows_it()
    {
        var result = PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha, "--run-id", "7001", "--run-attempt", "1"], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(result));
        Assert.Contains("PR comment created: https://github.com/acme/widgets/pull/42#issuecomment-", output, StringComparison.Ordinal);
        Assert.StartsWith(PrCommentBody.Marker, Assert.Single(_github.Comments(42)).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeGitHub.Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_github_token_variable_is_taken_when_no_slipway_token_is_given()
    {
        PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha], new() { ["GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.True(exitCode == 0, output);
        Assert.Single(_github.Comments(42));
        Assert.DoesNotContain(FakeGitHub.Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_it_fails_naming_the_variable_and_the_permission_before_calling_github()
    {
        PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha], []);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("No GitHub token: set SLIPWAY_GITHUB_TOKEN (or GITHUB_TOKEN)", output, StringComparison.Ordinal);
        Assert.Contains("pull-requests: write", output, StringComparison.Ordinal);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task An_invalid_result_fails_naming_the_file_and_the_field_before_calling_github()
    {
        var path = PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\"status\": \"passed\",\n  \"image\"", "\"status\": \"green\",\n  \"image\"", StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("pr-smoke.json: status: 'green' is not one of passed, failed, cancelled", output, StringComparison.Ordinal);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task An_oversized_result_is_refused_unread()
    {
        var path = _root.Combine("huge.json");
        await File.WriteAllTextAsync(path, new string(' ', PrSmokeLimits.FileBytes + 1));

        var (exitCode, output) = await RunAsync(["--result", "huge.json", "--head-sha", PrSmokeSamples.Sha], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("huge.json: 262145 bytes is larger than the 256 KiB a PR smoke result may have; refused unread.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_for_another_commit_than_the_event_is_refused()
    {
        PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));
        var eventSha = new string('c', 40);

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", eventSha], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains($"but the run that wrote it ran on {eventSha} (--head-sha): refused", output, StringComparison.Ordinal);
        Assert.Empty(_github.Comments(42));
    }

    [Theory]
    [InlineData("0123456")]
    [InlineData("not-a-sha")]
    public async Task A_malformed_head_sha_is_refused(string sha)
    {
        PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", sha], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains($"--head-sha must be the 40-hex commit the PR lane ran on (github.event.workflow_run.head_sha), got '{sha}'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_result_and_head_sha_are_required()
    {
        var (exitCode, output) = await RunAsync([], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--result", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_write_fails_with_the_permission_to_grant()
    {
        PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));
        _github.WritesForbidden = true;

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("Give the job `permissions: pull-requests: write`", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_http_api_off_this_machine_is_refused_so_the_token_never_travels_unencrypted()
    {
        PrSmokeSamples.Passed().WriteTo(_root.Combine("artifacts"));

        var (exitCode, output) = await RunAsync(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha, "--github-api-url", "http://github.example.com/api/v3"], new() { ["SLIPWAY_GITHUB_TOKEN"] = FakeGitHub.Token });

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("--github-api-url (GITHUB_API_URL) must be an https URL", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        environment.TryAdd("GITHUB_REPOSITORY", $"{FakeGitHub.Owner}/{FakeGitHub.Name}");
        environment.TryAdd("GITHUB_API_URL", _github.Url.ToString());
        var output = new StringWriter();
        var exitCode = await new CommentBuild().InvokeAsync(new BuildInvocation([.. args], _root.Path, output) { Environment = environment, DefaultTarget = "PrComment" });
        return (exitCode, output.ToString());
    }
}
