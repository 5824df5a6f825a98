using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class PrSmokeMarkdownTests
{
    [Fact]
    public void Shows_the_verdict_the_steps_with_durations_the_checks_and_the_image_digest()
    {
        var markdown = PrSmokeMarkdown.Render(PrSmokeSamples.Passed());

        Assert.StartsWith("## PR smoke ✅ passed\n\nPull request #42 · commit ` 0123456789abcdef0123456789abcdef01234567 ` · version ` 0.1.1-pr.42.3.g0123456 ` · [run 7001, attempt 1](https://github.com/acme/widgets/actions/runs/7001/attempts/1) · 3 min 20 s, finished 2026-12-01 09:33:20 UTC\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Image | ` kind.local/widgets:pr-42-0123456 `<br>` {PrSmokeSamples.Digest} ` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Cluster | kind ` kind-slipway-7001 ` ` v1.31.2 ` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Step | Status | Duration | Detail |", markdown, StringComparison.Ordinal);
        Assert.Contains("| cluster | ✅ passed | 1.0 s |  |", markdown, StringComparison.Ordinal);
        Assert.Contains("| install | ✅ passed | 2.0 s |  |", markdown, StringComparison.Ordinal);
        Assert.Contains("| diagnostics | skipped | – | ` nothing failed ` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| ` GET /api/v1/health without credentials ` | ✅ passed | ` 401 ` |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("### Diagnostics", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', markdown);
    }

    [Fact]
    public void A_failure_points_at_the_diagnostics_and_shows_their_summary()
    {
        var markdown = PrSmokeMarkdown.Render(PrSmokeSamples.FailedInInstall());

        Assert.StartsWith("## PR smoke ❌ failed", markdown, StringComparison.Ordinal);
        Assert.Contains("| install | ❌ failed | 2.0 s | ` timed out waiting for the condition ` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| workloads | skipped | – | ` an earlier step failed ` |", markdown, StringComparison.Ordinal);
        Assert.Contains("None ran.", markdown, StringComparison.Ordinal);
        Assert.Contains("` artifacts/diagnostics/pr-42-7002-1-x7k2p/ ` in the run's artifacts", markdown, StringComparison.Ordinal);
        Assert.Contains("```text\npod widgets-0: CrashLoopBackOff (3 restarts); last log: listen tcp :8080: bind: permission denied\n```", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Untrusted_text_stays_inside_code_spans_and_cannot_close_them_or_the_table_cell()
    {
        const string hostile = "@octocat <img src=x onerror=alert(1)> `` | [link](https://evil.example) <!-- slipway:pr-smoke -->\nsecond line";
        var result = PrSmokeSamples.FailedInInstall() with
        {
            SmokeChecks = [new PrSmokeCheck("GET /version", false, hostile)],
            Diagnostics = new PrSmokeDiagnostics("artifacts/diagnostics/x/", "```\n" + hostile + "\n````"),
        };

        var markdown = PrSmokeMarkdown.Render(result);

        Assert.Contains("| ` GET /version ` | ❌ failed | ` @octocat <img src=x onerror=alert(1)> ˋˋ \\| [link](https://evil.example) <!-- slipway:pr-smoke --> ⏎ second line ` |", markdown, StringComparison.Ordinal);
        Assert.Contains("`````text\n```\n@octocat", markdown, StringComparison.Ordinal);
        Assert.Contains("\n````\n`````\n", markdown, StringComparison.Ordinal);
        Assert.False(PrCommentBody.IsMarked(markdown));
    }

    [Fact]
    public void A_result_too_long_for_the_limit_loses_its_details_first_and_says_so()
    {
        var result = Largest('x', index => $"check {index}");

        var full = PrSmokeMarkdown.Render(result);
        var capped = PrSmokeMarkdown.Render(result, 8000);

        Assert.DoesNotContain("Shortened", full, StringComparison.Ordinal);
        Assert.True(capped.Length <= 8000, $"{capped.Length} characters");
        Assert.Contains("Shortened to fit GitHub's limit", capped, StringComparison.Ordinal);
        Assert.Contains("| smoke | ❌ failed |", capped, StringComparison.Ordinal);
        Assert.Contains("| teardown | ✅ passed |", capped, StringComparison.Ordinal);
        Assert.Contains(PrSmokeSamples.Digest, capped, StringComparison.Ordinal);
        Assert.Contains("| ` check 31 ` | ✅ passed |", capped, StringComparison.Ordinal);
    }

    [Fact]
    public void The_comment_body_is_marked_stamped_and_below_githubs_limit_for_the_largest_result()
    {
        var result = Largest('ü', _ => new string('n', PrSmokeLimits.Name));

        var body = PrCommentBody.Compose(result);

        Assert.True(body.Length < 65_536, $"{body.Length} characters");
        Assert.True(PrCommentBody.IsMarked(body));
        Assert.Equal(new PrCommentStamp(PrSmokeSamples.Sha, 7002, 1), PrCommentBody.StampOf(body));
    }

    /// <summary>A failed run with every detail, check and the diagnostics summary at its cap; the smoke step failed, check 0 too.</summary>
    private static PrSmokeResult Largest(char detail, Func<int, string> checkName)
    {
        var noisy = new string(detail, PrSmokeLimits.Detail);
        return PrSmokeSamples.FailedInInstall() with
        {
            Steps = [.. PrSmokeSamples.Steps(PrSmokeStepStatus.Passed, PrSmokeStepName.Smoke).Select(step => step with { Detail = noisy })],
            SmokeChecks = [.. Enumerable.Range(0, PrSmokeLimits.SmokeChecks).Select(index => new PrSmokeCheck(checkName(index), index > 0, noisy))],
            Diagnostics = new PrSmokeDiagnostics("artifacts/diagnostics/x/", new string('d', PrSmokeLimits.DiagnosticsSummary)),
        };
    }
}
