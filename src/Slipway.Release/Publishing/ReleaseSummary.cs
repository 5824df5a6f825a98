using System.Globalization;
using System.Text;

namespace Slipway.Release.Publishing;

/// <summary>The release record as Markdown, for a terminal summary or GitHub's step summary.</summary>
public static class ReleaseSummary
{
    public static string ToMarkdown(ReleaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Release {record.Version}\n\n");
        var dirty = record.Dirty ? " plus uncommitted changes (--allow-dirty)" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"Commit `{record.GitSha}`{dirty}, {record.CreatedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC\n\n");
        text.Append("| What | Reference | Digest |\n");
        text.Append("| --- | --- | --- |\n");
        Row(text, "Chart", record.Chart.Reference, record.Chart.Digest);
        if (record.Image is { } image)
        {
            Row(text, "Image", image.Reference, image.Digest);
            foreach (var platform in image.Platforms)
                Row(text, $"Image {platform.Platform}", $"{ReferenceWithoutTagOrDigest(image.Reference)}@{platform.Digest}", platform.Digest);
        }
        else
        {
            text.Append("| Image | (none built) | |\n");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"- Signing: **{Status(record.Signing.Status.ToString())}**{Detail(record.Signing.Reason)}\n");
        var verification = record.SignatureVerification;
        var against = verification.Identity is null ? string.Empty : $"against `{Cell(verification.Identity)}`{(verification.Issuer is null ? string.Empty : $" from `{Cell(verification.Issuer)}`")}, {verification.Verified.Count} digest{(verification.Verified.Count == 1 ? string.Empty : "s")}; ";
        text.Append(CultureInfo.InvariantCulture, $"- Signature verification: **{Status(verification.Status.ToString())}**{Detail(against + verification.Detail)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- Anonymous pull: **{Status(record.AnonymousPull.Status.ToString())}**{Detail(record.AnonymousPull.Detail)}\n");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, string reference, string digest) =>
        text.Append(CultureInfo.InvariantCulture, $"| {Cell(what)} | `{Cell(reference)}` | `{Cell(digest)}` |\n");

    private static string Status(string status) => status.ToLowerInvariant();

    private static string Detail(string detail) => string.IsNullOrWhiteSpace(detail) ? string.Empty : " — " + OneLine(detail);

    private static string Cell(string value) => OneLine(value).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);

    private static string OneLine(string value) => value.ReplaceLineEndings(" ").Trim();

    private static string ReferenceWithoutTagOrDigest(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? reference : reference[..at];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
