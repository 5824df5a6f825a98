using System.Text.Json;
using Slipway.Execution;
using Slipway.Release.Publishing;
using Slipway.Release.Signing;

namespace Slipway.Release.Tests.Publishing;

public sealed class ReleaseRecordTests
{
    private static readonly string ChartDigest = "sha256:" + new string('a', 64);
    private static readonly string ImageDigest = "sha256:" + new string('b', 64);
    private static readonly string AmdDigest = "sha256:" + new string('c', 64);
    private static readonly string ArmDigest = "sha256:" + new string('d', 64);
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private static readonly SignatureVerificationRecord NotVerified = new(VerificationStatus.Skipped, null, null, [], "nothing was signed");

    internal static ReleaseRecord Sample(bool withImage = true, bool dirty = false) => new(
        "1.2.4-ci.2.g0123456",
        Sha,
        dirty,
        new DateTimeOffset(2026, 11, 24, 9, 5, 0, TimeSpan.FromHours(1)),
        new ChartRecord("ghcr.io/acme/charts/app:1.2.4-ci.2.g0123456", ChartDigest),
        withImage
            ? new ImageRecord("ghcr.io/acme/app:1.2.4-ci.2.g0123456", ImageDigest, [new PlatformRecord("linux/amd64", AmdDigest), new PlatformRecord("linux/arm64", ArmDigest)])
            : null,
        new SigningRecord(SigningStatus.Skipped, "no signing identity"),
        new SignatureVerificationRecord(VerificationStatus.Skipped, null, null, [], "nothing was signed (no signing identity)"),
        new AnonymousPullRecord(AnonymousPullStatus.Passed, "manifest digest matches the pushed one"));

    [Fact]
    public void Json_has_exactly_the_contract_keys_in_order()
    {
        using var document = JsonDocument.Parse(Sample().ToJson());
        var root = document.RootElement;

        Assert.Equal(["version", "gitSha", "dirty", "createdAt", "chart", "image", "signing", "signatureVerification", "anonymousPull"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["reference", "digest"], root.GetProperty("chart").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["reference", "digest", "platforms"], root.GetProperty("image").EnumerateObject().Select(p => p.Name));
        Assert.All(root.GetProperty("image").GetProperty("platforms").EnumerateArray(),
            platform => Assert.Equal(["platform", "digest"], platform.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(["status", "reason"], root.GetProperty("signing").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["status", "identity", "issuer", "verified", "detail"], root.GetProperty("signatureVerification").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["status", "detail"], root.GetProperty("anonymousPull").EnumerateObject().Select(p => p.Name));

        Assert.Equal("2026-11-24T08:05:00Z", root.GetProperty("createdAt").GetString());
        Assert.Equal(Sha, root.GetProperty("gitSha").GetString());
        Assert.False(root.GetProperty("dirty").GetBoolean());
        Assert.Equal("skipped", root.GetProperty("signing").GetProperty("status").GetString());
        Assert.Equal("no signing identity", root.GetProperty("signing").GetProperty("reason").GetString());
        Assert.Equal("passed", root.GetProperty("anonymousPull").GetProperty("status").GetString());
        Assert.Equal("linux/amd64", root.GetProperty("image").GetProperty("platforms")[0].GetProperty("platform").GetString());
        Assert.Equal(AmdDigest, root.GetProperty("image").GetProperty("platforms")[0].GetProperty("digest").GetString());
    }

    [Fact]
    public void A_reason_with_quotes_is_written_as_it_reads()
    {
        const string Reason = "no signing identity: GitHub Actions without an OIDC token (grant the job 'id-token: write') and no COSIGN_PRIVATE_KEY";
        var record = new ReleaseRecord(
            "1.0.0", Sha, false, DateTimeOffset.UnixEpoch, new ChartRecord("r/charts/a:1.0.0", ChartDigest), null,
            new SigningRecord(SigningStatus.Skipped, Reason), NotVerified, new AnonymousPullRecord(AnonymousPullStatus.Passed, "ok"));

        Assert.Contains($"\"reason\": \"{Reason}\"", record.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_image_is_written_as_null()
    {
        var json = Sample(withImage: false).ToJson();
        using var document = JsonDocument.Parse(json);

        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("image").ValueKind);
        Assert.Contains("\"image\": null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_indented_with_lf_and_ends_with_a_newline()
    {
        var json = Sample().ToJson();

        Assert.DoesNotContain('\r', json);
        Assert.StartsWith("{\n  \"version\": \"1.2.4-ci.2.g0123456\",\n", json, StringComparison.Ordinal);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Round_trips_through_json_and_the_file(bool withImage)
    {
        var record = Sample(withImage);
        var directory = Directory.CreateTempSubdirectory("slipway-record-");
        try
        {
            var path = record.WriteTo(Path.Combine(directory.FullName, "artifacts"));
            var read = ReleaseRecord.FromJson(File.ReadAllText(path));

            Assert.Equal("release.json", Path.GetFileName(path));
            Assert.Equal(record.ToJson(), read.ToJson());
            Assert.Equal(record.Chart, read.Chart);
            Assert.Equal(record.Image, read.Image);
            Assert.Equal(record.Signing, read.Signing);
            Assert.Equal(record.CreatedAt, read.CreatedAt);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_keys_are_rejected_when_read()
    {
        var json = Sample().ToJson().Replace("\"version\":", "\"extra\": 1,\n  \"version\":", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => ReleaseRecord.FromJson(json));
    }

    [Theory]
    [InlineData("0123456")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    public void A_sha_that_is_not_40_lowercase_hex_is_refused(string sha)
    {
        var error = Assert.Throws<ArgumentException>(() => new ReleaseRecord(
            "1.0.0", sha, false, DateTimeOffset.UnixEpoch, new ChartRecord("r/charts/a:1.0.0", ChartDigest), null,
            new SigningRecord(SigningStatus.Skipped, "x"), NotVerified, new AnonymousPullRecord(AnonymousPullStatus.Passed, "ok")));
        Assert.Contains(sha, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_digest_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ChartRecord("r/charts/a:1.0.0", "sha256:abc"));

    [Fact]
    public void The_signing_record_says_what_the_sign_target_did_and_its_skip_reason_verbatim()
    {
        const string Precise = "no signing identity: GitHub Actions without an OIDC token (grant the job 'id-token: write') and no COSIGN_PRIVATE_KEY";

        Assert.Equal(new SigningRecord(SigningStatus.Signed, "keyless: r/a@" + ImageDigest),
            SigningRecord.From(Ended("Sign", TargetStatus.Succeeded), new SigningOutcome.Signed(["r/a@" + ImageDigest], SigningMode.Keyless)));
        Assert.Equal(new SigningRecord(SigningStatus.Skipped, Precise), SigningRecord.From(Ended("Sign", TargetStatus.Skipped, Precise), null));
        Assert.Equal(new SigningRecord(SigningStatus.Failed, "rekor down"), SigningRecord.From(Ended("Sign", TargetStatus.Failed, "rekor down"), null));
        Assert.Equal(new SigningRecord(SigningStatus.Failed, "ChartPush failed"), SigningRecord.From(Ended("Sign", TargetStatus.NotRun, "ChartPush failed"), null));
    }

    [Fact]
    public void The_anonymous_pull_record_passes_only_when_the_target_succeeded()
    {
        Assert.Equal(new AnonymousPullRecord(AnonymousPullStatus.Passed, "seen"),
            AnonymousPullRecord.From(Ended("VerifyAnonymousPull", TargetStatus.Succeeded), new AnonymousPull("seen")));
        Assert.Equal(new AnonymousPullRecord(AnonymousPullStatus.Failed, "r is not publicly pullable"),
            AnonymousPullRecord.From(Ended("VerifyAnonymousPull", TargetStatus.Failed, "r is not publicly pullable"), null));
        Assert.Equal(new AnonymousPullRecord(AnonymousPullStatus.Failed, "--skip"),
            AnonymousPullRecord.From(Ended("VerifyAnonymousPull", TargetStatus.Skipped, "--skip"), null));
    }

    [Fact]
    public void The_verification_record_says_what_was_verified_against_which_identity()
    {
        var keyless = new SignatureExpectation.Keyless("https://github.com/acme/app/.github/workflows/publish.yml@refs/tags/v1.2.4", SignatureExpectations.GitHubOidcIssuer);
        var verified = new SignatureVerification(["r/a@" + ImageDigest, "r/charts/a@" + ChartDigest], keyless, new CosignVersion(new Version(3, 0, 6)));

        Assert.Equal(
            new SignatureVerificationRecord(VerificationStatus.Verified, keyless.CertificateIdentity, SignatureExpectations.GitHubOidcIssuer, verified.Verified, "cosign v3.0.6, Sigstore bundles as OCI 1.1 referrers"),
            SignatureVerificationRecord.From(Ended("VerifySignature", TargetStatus.Succeeded), verified));
        Assert.Equal(new SignatureVerificationRecord(VerificationStatus.Skipped, null, null, [], "nothing was signed (no signing identity)"),
            SignatureVerificationRecord.From(Ended("VerifySignature", TargetStatus.Skipped, "nothing was signed (no signing identity)"), null));
        Assert.Equal(VerificationStatus.Failed, SignatureVerificationRecord.From(Ended("VerifySignature", TargetStatus.Failed, $"1 of 2 signatures do not verify: {ImageDigest}"), null).Status);
        Assert.Equal(VerificationStatus.Failed, SignatureVerificationRecord.From(Ended("VerifySignature", TargetStatus.NotRun, "Sign failed"), null).Status);
    }

    [Fact]
    public void A_verified_record_round_trips_with_its_digests_and_reads_as_markdown()
    {
        var record = new ReleaseRecord(
            "1.0.0", Sha, false, DateTimeOffset.UnixEpoch, new ChartRecord("r/charts/a:1.0.0", ChartDigest), null, new SigningRecord(SigningStatus.Signed, "key: r/charts/a@" + ChartDigest),
            new SignatureVerificationRecord(VerificationStatus.Verified, "public key sha256:" + new string('e', 64), null, ["r/charts/a@" + ChartDigest], "cosign v2.4.1, signatures under .sig tags"),
            new AnonymousPullRecord(AnonymousPullStatus.Passed, "ok"));

        Assert.Equal(record, ReleaseRecord.FromJson(record.ToJson()));
        Assert.Contains($"- Signature verification: **verified** — against `public key sha256:{new string('e', 64)}`, 1 digest; cosign v2.4.1", ReleaseSummary.ToMarkdown(record), StringComparison.Ordinal);
    }

    private static TargetOutcome Ended(string target, TargetStatus status, string? reason = null) => new(target, status, reason, TimeSpan.Zero, TimeSpan.Zero);

    [Fact]
    public void Markdown_summary_has_a_table_and_status_lines()
    {
        var markdown = ReleaseSummary.ToMarkdown(Sample());

        Assert.Contains("| What | Reference | Digest |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Chart | `ghcr.io/acme/charts/app:1.2.4-ci.2.g0123456` | `{ChartDigest}` |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Image | `ghcr.io/acme/app:1.2.4-ci.2.g0123456` | `{ImageDigest}` |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Image linux/arm64 | `ghcr.io/acme/app@{ArmDigest}` | `{ArmDigest}` |", markdown, StringComparison.Ordinal);
        Assert.Contains("- Signing: **skipped** — no signing identity", markdown, StringComparison.Ordinal);
        Assert.Contains("- Anonymous pull: **passed** — manifest digest matches the pushed one", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', markdown);
    }

    [Fact]
    public void Markdown_summary_says_when_no_image_was_built() =>
        Assert.Contains("| Image | (none built) | |", ReleaseSummary.ToMarkdown(Sample(withImage: false)), StringComparison.Ordinal);

    [Fact]
    public void A_dirty_release_says_so_in_the_record_and_the_summary()
    {
        var record = Sample(dirty: true);

        using var document = JsonDocument.Parse(record.ToJson());
        Assert.True(document.RootElement.GetProperty("dirty").GetBoolean());
        Assert.True(ReleaseRecord.FromJson(record.ToJson()).Dirty);
        Assert.Contains($"Commit `{Sha}` plus uncommitted changes (--allow-dirty), ", ReleaseSummary.ToMarkdown(record), StringComparison.Ordinal);
        Assert.DoesNotContain("uncommitted", ReleaseSummary.ToMarkdown(Sample()), StringComparison.Ordinal);
    }
}
