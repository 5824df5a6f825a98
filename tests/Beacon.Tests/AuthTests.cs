using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tests;

public sealed class AuthTests : IDisposable
{
    private const string Issuer = "https://issuer.example.test";
    private const string Audience = "beacon";
    private static readonly Uri Protected = new("/api/v1/health", UriKind.Relative);

    private readonly string keyText = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"beacon-test-key-{Guid.NewGuid():N}");

    public AuthTests() => File.WriteAllText(keyFile, keyText + "\n");

    public void Dispose() => File.Delete(keyFile);

    private Dictionary<string, string?> Configured() => new()
    {
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:SigningKeyFile"] = keyFile,
    };

    private SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(keyText));

    private static string Mint(
        SecurityKey? key,
        string issuer = Issuer,
        string audience = Audience,
        DateTime? notBefore = null,
        DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "smoke")]),
            IssuedAt = notBefore ?? now.AddMinutes(-1),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(5),
            SigningCredentials = key is null ? null : new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static async Task<HttpStatusCode> GetAsync(BeaconFactory factory, string? token)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Protected);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task No_token_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, null));
    }

    [Fact]
    public async Task Valid_token_is_200()
    {
        using var factory = new BeaconFactory(Configured());
        Assert.Equal(HttpStatusCode.OK, await GetAsync(factory, Mint(Key)));
    }

    [Fact]
    public async Task Key_given_inline_instead_of_a_file_works_too()
    {
        var settings = Configured();
        settings["Auth:SigningKeyFile"] = null;
        settings["Auth:SigningKey"] = keyText;
        using var factory = new BeaconFactory(settings);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(factory, Mint(Key)));
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        var token = Mint(Key, notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, token));
    }

    [Fact]
    public async Task Wrong_audience_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(Key, audience: "someone-else")));
    }

    [Fact]
    public async Task Wrong_issuer_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(Key, issuer: "https://evil.example.test")));
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        var token = Mint(key: null);
        Assert.Contains("\"alg\":\"none\"", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[0])), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, token));
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        var other = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(other)));
    }

    [Fact]
    public async Task Garbage_token_is_401()
    {
        using var factory = new BeaconFactory(Configured());
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, "not.a.jwt"));
    }

    [Fact]
    public async Task Without_a_signing_key_everything_is_refused()
    {
        var settings = Configured();
        settings["Auth:SigningKeyFile"] = null;
        using var factory = new BeaconFactory(settings);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(Key)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(key: null)));
    }

    [Fact]
    public async Task With_nothing_configured_everything_is_refused_and_the_smoke_endpoints_still_answer()
    {
        using var factory = new BeaconFactory();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(Key)));
        using var client = factory.CreateClient();
        using var ready = await client.GetAsync(new Uri("/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Without_issuer_or_audience_everything_is_refused()
    {
        var settings = Configured();
        settings["Auth:Audience"] = "";
        using var factory = new BeaconFactory(settings);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, Mint(Key)));
    }

    [Fact]
    public async Task A_configured_but_missing_key_file_stops_startup()
    {
        var settings = Configured();
        settings["Auth:SigningKeyFile"] = keyFile + ".missing";

        var (exitCode, output) = await BeaconProcess.RunUntilExitAsync(settings);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_too_short_key_stops_startup_without_revealing_it()
    {
        var settings = Configured();
        settings["Auth:SigningKeyFile"] = null;
        settings["Auth:SigningKey"] = "short-secret-value";

        var (exitCode, output) = await BeaconProcess.RunUntilExitAsync(settings);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("at least 32", output, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret-value", output, StringComparison.Ordinal);
    }
}
