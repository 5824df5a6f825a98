using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Secrets;

namespace Slipway.Tests;

public sealed class SecretRegistryTests
{
    [Fact]
    public void Every_occurrence_is_masked_and_a_longer_secret_wins_over_its_prefix()
    {
        var secrets = new SecretRegistry();
        secrets.Register("abc");
        secrets.Register("abcdef");

        Assert.Equal("x *** y *** z", secrets.Redact("x abcdef y abc z"));
    }

    [Fact]
    public void Each_new_secret_is_announced_once()
    {
        var secrets = new SecretRegistry();
        var announced = new List<string>();
        secrets.Registered += announced.Add;
        secrets.Register("token");
        secrets.Register("token");
        secrets.Register("");
        secrets.Register(null);

        Assert.Equal(["token"], announced);
    }

    public const string Canary = "c4n/ary+\"q&z<p>";

    /// <summary>The canary as tools write it: base64 alone and after prefixes of every length mod 3, URL- and JSON-escaped.</summary>
    public static IEnumerable<string> EncodedCanaries()
    {
        foreach (var prefix in new[] { "", "u", "u:", "us:", "user" })
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Canary + "@rest-of-a-token"));
            yield return base64;
            yield return base64.Replace('+', '-').Replace('/', '_');
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Canary));
        }

        yield return Uri.EscapeDataString(Canary);
        yield return WebUtility.UrlEncode(Canary);
        yield return JsonSerializer.Serialize(Canary);
        yield return JsonSerializer.Serialize(new { password = Canary }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        yield return "{\"password\":\"c4n/ary+\\\"q\\u0026z\\u003cp\\u003e\"}";
    }

    /// <summary>The canary's recognisable pieces: what must not survive anywhere once it is masked.</summary>
    public static IEnumerable<string> Leaks(string text) =>
        new[] { "c4n/ary", "c4n%2Fary", "YzRuL2FyeS", "YzRuL2FyeS".Replace('/', '_'), "bi9hcnkr", "NG4vYXJ5K" }
            .Where(piece => text.Contains(piece, StringComparison.Ordinal));

    [Fact]
    public void A_secret_is_masked_in_every_form_a_tool_encodes_it_to()
    {
        var secrets = new SecretRegistry();
        secrets.Register(Canary);

        foreach (var encoded in EncodedCanaries())
        {
            var redacted = secrets.Redact($"before {encoded} after");
            Assert.True(!Leaks(redacted).Any() && redacted.Contains("***", StringComparison.Ordinal), $"'{encoded}' became '{redacted}'");
        }
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_masked_on_its_own()
    {
        var secrets = new SecretRegistry();
        secrets.Register("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\n-----END KEY-----");

        Assert.Equal("line: ***", secrets.Redact("line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    }

    [Fact]
    public void Short_derived_forms_are_not_masked_so_ordinary_text_survives()
    {
        var secrets = new SecretRegistry();
        secrets.Register("ab");

        Assert.Equal("*** YWI= c", secrets.Redact("ab YWI= c"));
    }
}
