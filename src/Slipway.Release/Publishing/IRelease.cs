using Slipway.Release.Signing;
using Slipway.Release.Versioning;

namespace Slipway.Release.Publishing;

/// <summary>The whole release: every gate, push, sign, verify the signatures and the anonymous pull, and then <c>artifacts/release.json</c> and its summary, also when signing or a verification failed.</summary>
public interface IRelease : ISigning
{
    /// <summary>The image this release published, for the record; null when the build publishes no image.</summary>
    ImageRecord? ReleasedImage => null;

    string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");

    Target Publish => _ => _
        .Description("Validate, stamp, package, push, sign and verify a release; write artifacts/release.json and a summary")
        .DependsOn(ChartPush)
        .Collects(Sign, VerifySignature, VerifyAnonymousPull)
        .Executes(() =>
        {
            var version = ResultOf<ReleaseVersion>(Version);
            var chart = ResultOf<PublishedChart>(ChartPush);
            var record = new ReleaseRecord(
                version.Version.ToString(),
                version.Git.Sha,
                version.IsDirty,
                version.Git.CommitTime,
                new ChartRecord(chart.Reference.ToString(), chart.Digest),
                ReleasedImage,
                SigningRecord.From(OutcomeOf(Sign), TryResultOf<SigningOutcome>(Sign)),
                SignatureVerificationRecord.From(OutcomeOf(VerifySignature), TryResultOf<SignatureVerification>(VerifySignature)),
                AnonymousPullRecord.From(OutcomeOf(VerifyAnonymousPull), TryResultOf<AnonymousPull>(VerifyAnonymousPull)));
            var path = record.WriteTo(ArtifactsDirectory);
            var summary = ReleaseSummary.ToMarkdown(record);
            Report.AddSection("Release", summary);
            foreach (var line in summary.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                Log.Info(line);
            Log.Info($"Release record: {Path.GetRelativePath(RootDirectory, path)}");
        });
}
