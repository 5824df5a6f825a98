using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Slipway.Secrets;

/// <summary>
/// The forms a secret takes on its way through tools, each of which is masked as the secret itself is (GitHub's runner masks
/// the same families): base64 at each of the three byte alignments, standard and URL-safe, so that base64 of
/// <c>user:password</c> still hides the password; URL-escaped (RFC 3986 and form encoding); JSON-escaped (.NET's strict and
/// relaxed encoders, Go's); and each line of a multi-line secret, since tools print a PEM key line by line.
/// </summary>
internal static class SecretForms
{
    /// <summary>Derived forms shorter than this would mask unrelated text; the secret itself is always masked.</summary>
    private const int MinimumLength = 4;

    public static IEnumerable<string> Of(string secret)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in secret.Split('\n'))
            forms.Add(line.TrimEnd('\r'));
        AddBase64(forms, Encoding.UTF8.GetBytes(secret));
        forms.Add(Uri.EscapeDataString(secret));
        forms.Add(WebUtility.UrlEncode(secret));
        forms.Add(JsonEncodedText.Encode(secret).ToString());
        var relaxed = JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        forms.Add(relaxed);
        forms.Add(relaxed.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal));
        forms.RemoveWhere(form => form.Trim().Length < MinimumLength);
        forms.Add(secret);
        return forms;
    }

    /// <summary>
    /// Base64 packs 3 bytes into 4 digits, so what a secret encodes to depends on where it starts in the encoded data. Skipping
    /// its first 0, 1 or 2 bytes aligns it; of each aligned rest, the digits of whole 3-byte groups are the same whatever
    /// follows, and the full encoding (padding dropped) is what shows when the secret ends the data.
    /// </summary>
    private static void AddBase64(HashSet<string> forms, byte[] bytes)
    {
        for (var skip = 0; skip <= 2 && skip < bytes.Length; skip++)
        {
            var aligned = bytes.AsSpan(skip);
            foreach (var form in new[] { Convert.ToBase64String(aligned).TrimEnd('='), Convert.ToBase64String(aligned[..(aligned.Length / 3 * 3)]) })
            {
                forms.Add(form);
                forms.Add(form.Replace('+', '-').Replace('/', '_'));
            }
        }
    }
}
