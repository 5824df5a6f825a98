using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Slipway.Release.Tests.Support;

/// <summary>
/// Canary secrets for runs of whole targets, and the search for them: the canary itself, each line of a multi-line one,
/// base64 at each of the three byte alignments (so <c>base64(user:password)</c> is found too), standard and URL-safe,
/// URL-escaped and JSON-escaped. Each holds the characters tools escape (/, +, ", &amp;, &lt;, &gt;).
/// </summary>
internal static class SecretCanary
{
    public const string RegistryPassword = "c4n/ary+\"reg&<pw>";
    public const string GitHubToken = "ghs_c4n/ary+gh&<token>";
    public const string CosignPassword = "c4n/ary+\"cosign&<pw>";
    public const string CosignKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nY2FuYXJ5LWNvc2lnbi1rZXktYm9keS0wMTIz\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";

    /// <summary>The forms a search must not find for <paramref name="secret"/>.</summary>
    public static IReadOnlyList<string> FormsOf(string secret)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal) { secret, Uri.EscapeDataString(secret), WebUtility.UrlEncode(secret) };
        forms.Add(JsonEncodedText.Encode(secret).ToString());
        forms.Add(JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
        foreach (var line in secret.Split('\n').Where(line => line.Length >= 8 && !line.StartsWith("-----", StringComparison.Ordinal)))
            forms.Add(line);
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var skip = 0; skip < 3; skip++)
        {
            // The digits of whole 3-byte groups from this alignment on: the same whatever comes before or after the secret.
            var aligned = bytes.AsSpan(skip);
            var core = Convert.ToBase64String(aligned[..(aligned.Length / 3 * 3)]);
            forms.Add(core);
            forms.Add(core.Replace('+', '-').Replace('/', '_'));
        }

        return [.. forms.Where(form => form.Length >= 8)];
    }

    /// <summary>Every place (name to text) that holds a form of one of the secrets, with the form found.</summary>
    public static IReadOnlyList<string> Leaks(IReadOnlyDictionary<string, string> places, params string[] secrets) =>
        [.. from place in places
            from secret in secrets
            from form in FormsOf(secret)
            where place.Value.Contains(form, StringComparison.Ordinal)
            select $"{place.Key} holds '{form}'"];

    /// <summary>
    /// What a run leaves to read: its output (without GitHub's <c>::add-mask::</c> lines, which must carry the secret), every
    /// file under <c>.nuke/temp</c> and <c>artifacts</c> of <paramref name="root"/>, the given files (step summary, outputs), and
    /// whatever is left of the run's temp root.
    /// </summary>
    public static Dictionary<string, string> Places(string root, string output, string? runTemporaryDirectory, params string[] files)
    {
        var places = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["output"] = string.Join('\n', output.Split('\n').Where(line => !line.StartsWith("::add-mask::", StringComparison.Ordinal))),
        };
        var folders = new[] { Path.Combine(root, ".nuke", "temp"), Path.Combine(root, "artifacts"), runTemporaryDirectory }.OfType<string>().Where(Directory.Exists);
        foreach (var file in folders.SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)).Concat(files.Where(File.Exists)))
            places[file] = Encoding.UTF8.GetString(File.ReadAllBytes(file));
        return places;
    }
}
