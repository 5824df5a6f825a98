using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Oci;

/// <summary>
/// The Bearer token dance as GHCR performs it, answered by a scripted registry: the distribution registry of Debian only
/// speaks Basic (htpasswd), so this is where the token flow is pinned down request by request.
/// </summary>
public sealed class OciRegistryClientTokenFlowTests
{
    private const string Token = "registry-token-abc123";
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2}");
    private static readonly string ManifestDigest = OciRegistryClient.Sha256Digest(Manifest);
    private static readonly OciReference Chart = OciReference.Parse("ghcr.io/owner/charts/app:1.2.3");

    [Fact]
    public async Task Follows_the_challenge_anonymously_and_retries_with_the_bearer_token()
    {
        var registry = new ScriptedRegistry();
        var secrets = new SecretRegistry();

        var found = Assert.IsType<ManifestResolution.Found>(await Client(registry, secrets).ResolveManifestAsync(Chart));

        Assert.Equal(ManifestDigest, found.Digest);
        Assert.Equal(["GET https://ghcr.io/v2/owner/charts/app/manifests/1.2.3", "GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aowner%2Fcharts%2Fapp%3Apull", "GET https://ghcr.io/v2/owner/charts/app/manifests/1.2.3"], registry.Requests.Select(request => request.Line));
        Assert.Null(registry.Requests[1].Authorization);
        Assert.Equal($"Bearer {Token}", registry.Requests[2].Authorization);
        Assert.Contains(OciMediaTypes.ImageIndex, registry.Requests[0].Accept, StringComparison.Ordinal);
        Assert.Equal(SecretRegistry.Mask, secrets.Redact(Token));
    }

    [Fact]
    public async Task Sends_credentials_to_the_token_realm_only_as_basic_auth()
    {
        var registry = new ScriptedRegistry();

        await Client(registry).ResolveManifestAsync(Chart, new RegistryCredentials("me", "pw"));

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("me:pw")), registry.Requests[1].Authorization);
        Assert.Equal($"Bearer {Token}", registry.Requests[2].Authorization);
    }

    [Fact]
    public async Task A_private_package_is_reported_as_not_publicly_pullable()
    {
        var registry = new ScriptedRegistry { ManifestIsPrivate = true };

        var refused = Assert.IsType<ManifestResolution.Unauthorized>(await Client(registry).ResolveManifestAsync(Chart));

        Assert.Contains("not publicly pullable", refused.Message, StringComparison.Ordinal);
        Assert.Contains("DENIED: requested access to the resource is denied", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_realm_that_refuses_the_credentials_is_unauthorized_not_an_error()
    {
        var registry = new ScriptedRegistry { RealmRefusesCredentials = true };

        var refused = Assert.IsType<ManifestResolution.Unauthorized>(await Client(registry).ResolveManifestAsync(Chart, new RegistryCredentials("me", "bad")));

        Assert.True(refused.CredentialsSent);
        Assert.DoesNotContain("bad", refused.Message.Replace("'me'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_digest_header_that_does_not_match_the_bytes_is_an_error()
    {
        var registry = new ScriptedRegistry { AnnouncedDigest = "sha256:" + new string('0', 64) };

        var error = await Assert.ThrowsAsync<OciRegistryException>(() => Client(registry).ResolveManifestAsync(Chart));

        Assert.Contains(ManifestDigest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_send_credentials_to_a_plain_http_realm()
    {
        var registry = new ScriptedRegistry { Realm = "http://evil.example/token" };

        var error = await Assert.ThrowsAsync<OciRegistryException>(() => Client(registry).ResolveManifestAsync(Chart, new RegistryCredentials("me", "pw")));

        Assert.Contains("plain-HTTP", error.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests);
    }

    private static OciRegistryClient Client(ScriptedRegistry registry, SecretRegistry? secrets = null) =>
        new(new HttpClient(registry), secrets ?? new SecretRegistry(), new RecordingLog());

    private sealed record SeenRequest(string Line, string? Authorization, string Accept);

    /// <summary>Answers like GHCR: 401 with a Bearer challenge, a token realm, then the manifest for a valid token.</summary>
    private sealed class ScriptedRegistry : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        public bool ManifestIsPrivate { get; init; }

        public bool RealmRefusesCredentials { get; init; }

        public string? AnnouncedDigest { get; init; }

        public string Realm { get; init; } = "https://ghcr.io/token";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization?.ToString();
            Requests.Add(new SeenRequest($"{request.Method} {request.RequestUri}", authorization, request.Headers.Accept.ToString()));
            return Task.FromResult(request.RequestUri!.AbsolutePath == "/token" ? TokenResponse(authorization) : ManifestResponse(authorization));
        }

        private HttpResponseMessage TokenResponse(string? authorization) =>
            RealmRefusesCredentials && authorization is not null
                ? Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "authentication required")
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"token\":\"{Token}\"}}") };

        private HttpResponseMessage ManifestResponse(string? authorization)
        {
            if (authorization != $"Bearer {Token}")
            {
                var challenge = Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "authentication required");
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Bearer realm=\"{Realm}\",service=\"ghcr.io\",scope=\"repository:owner/charts/app:pull\"");
                return challenge;
            }

            if (ManifestIsPrivate)
                return Error(HttpStatusCode.Forbidden, "DENIED", "requested access to the resource is denied");

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Manifest) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.ImageManifest);
            response.Headers.Add("Docker-Content-Digest", AnnouncedDigest ?? ManifestDigest);
            return response;
        }

        private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
            new(status) { Content = new StringContent($"{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"{message}\"}}]}}") };
    }
}
