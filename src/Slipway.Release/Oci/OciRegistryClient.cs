using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Logging;
using Slipway.Secrets;

namespace Slipway.Release.Oci;

/// <summary>
/// A small client for the OCI distribution API: resolves manifests (anonymously or with credentials, through Bearer token
/// and Basic challenges) and pushes blobs and manifests. Passwords and tokens are registered as secrets and never appear in
/// a message it writes or throws.
/// </summary>
public sealed class OciRegistryClient(HttpClient http, SecretRegistry secrets, IBuildLog log) : IOciRegistry
{
    /// <summary>GETs a manifest by tag or digest and returns its sha256 digest, computed from the bytes received.</summary>
    /// <exception cref="OciRegistryException">The registry cannot be reached, answers an unexpected status, or its digest does not match the content.</exception>
    public async Task<ManifestResolution> ResolveManifestAsync(OciReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var session = OpenSession(reference.Registry, credentials, $"repository:{reference.Repository}:pull");
        var uri = new Uri(reference.RegistryBaseUri, $"v2/{reference.Repository}/manifests/{reference.Reference}");
        using var response = await session.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                foreach (var mediaType in OciMediaTypes.Manifests)
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
                return request;
            },
            cancellationToken);

        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var digest = Sha256Digest(content);
                VerifyDigest(response, digest, reference.Digest);
                return new ManifestResolution.Found(digest, response.Content.Headers.ContentType?.MediaType ?? string.Empty, content);
            case HttpStatusCode.NotFound:
                return new ManifestResolution.NotFound($"{reference} was not found ({await ErrorTextAsync(response, cancellationToken)}).");
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                var refusal = $"{(int)response.StatusCode} {await ErrorTextAsync(response, cancellationToken)}";
                return credentials is null
                    ? new ManifestResolution.Unauthorized($"{reference} is not publicly pullable: the registry refused an anonymous pull ({refusal}).", CredentialsSent: false)
                    : new ManifestResolution.Unauthorized($"The registry refused {reference} to user '{credentials.Username}' ({refusal}).", CredentialsSent: true);
            default:
                throw await UnexpectedAsync(response, cancellationToken);
        }
    }

    /// <summary>Reachable means <c>GET /v2/</c> answers 200 or 401 (an OCI registry that wants credentials).</summary>
    public async Task<RegistryCheck> CheckReachableAsync(string registry, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(OciReference.BaseUriFor(registry), "v2/");
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized
                ? new RegistryCheck(true, $"Registry '{registry}' is reachable at {uri} ({(int)response.StatusCode}).")
                : new RegistryCheck(false, $"'{registry}' answered {(int)response.StatusCode} at {uri}: that is not an OCI registry's API root.");
        }
        catch (Exception exception) when (IsNetworkFailure(exception, cancellationToken))
        {
            return new RegistryCheck(false, $"Registry '{registry}' is not reachable at {uri}: {exception.Message}");
        }
    }

    /// <summary>Signs in the way a pull would (token or Basic) and checks that <c>GET /v2/</c> then answers 200.</summary>
    public async Task<RegistryCheck> CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(OciReference.BaseUriFor(registry), "v2/");
        try
        {
            using var response = await OpenSession(registry, credentials, scope: null).SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new RegistryCheck(true, $"Registry '{registry}' accepted the credentials of user '{credentials.Username}'."),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryCheck(
                    false, $"Registry '{registry}' refused the credentials of user '{credentials.Username}' ({(int)response.StatusCode} {await ErrorTextAsync(response, cancellationToken)})."),
                _ => new RegistryCheck(false, (await UnexpectedAsync(response, cancellationToken)).Message),
            };
        }
        catch (OciRegistryException exception)
        {
            return new RegistryCheck(false, exception.Message);
        }
    }

    /// <summary>HEAD <c>/v2/&lt;repository&gt;/blobs/&lt;digest&gt;</c>: whether the registry already holds the blob in that repository.</summary>
    public async Task<bool> BlobExistsAsync(string registry, string repository, string digest, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var session = OpenSession(registry, credentials, $"repository:{repository}:pull");
        var uri = new Uri(OciReference.BaseUriFor(registry), $"v2/{repository}/blobs/{digest}");
        using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Head, uri), cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw await UnexpectedAsync(response, cancellationToken),
        };
    }

    /// <summary>GETs a blob (a config or a layer) by digest, through the same token and Basic challenges as a manifest pull, and checks its bytes against the digest.</summary>
    /// <exception cref="OciRegistryException">The blob is missing, refused, unreachable, or its bytes do not hash to <paramref name="digest"/>.</exception>
    public async Task<byte[]> GetBlobAsync(string registry, string repository, string digest, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var session = OpenSession(registry, credentials, $"repository:{repository}:pull");
        var uri = new Uri(OciReference.BaseUriFor(registry), $"v2/{repository}/blobs/{digest}");
        using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var computed = Sha256Digest(content);
                if (!string.Equals(computed, digest, StringComparison.Ordinal))
                    throw new OciRegistryException($"{uri} returned content that hashes to {computed}, not the requested {digest}.");
                return content;
            case HttpStatusCode.NotFound:
                throw new OciRegistryException($"Blob {digest} of {registry}/{repository} was not found ({await ErrorTextAsync(response, cancellationToken)}).");
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new OciRegistryException(credentials is null
                    ? $"{registry}/{repository} refused an anonymous pull of blob {digest} ({(int)response.StatusCode} {await ErrorTextAsync(response, cancellationToken)})."
                    : $"{registry}/{repository} refused blob {digest} to user '{credentials.Username}' ({(int)response.StatusCode} {await ErrorTextAsync(response, cancellationToken)}).");
            default:
                throw await UnexpectedAsync(response, cancellationToken);
        }
    }

    /// <summary>Uploads a blob in one request (POST to start, PUT with the digest) and returns its digest.</summary>
    public async Task<string> PushBlobAsync(string registry, string repository, byte[] content, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var digest = Sha256Digest(content);
        var session = OpenSession(registry, credentials, $"repository:{repository}:pull,push");
        var baseUri = OciReference.BaseUriFor(registry);

        Uri upload;
        using (var started = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"v2/{repository}/blobs/uploads/")), cancellationToken))
        {
            if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is not { } location)
                throw await UnexpectedAsync(started, cancellationToken);
            // The upload location may be relative or absolute, and usually carries upload state in its query already.
            var absolute = new Uri(baseUri, location);
            upload = new Uri($"{absolute.AbsoluteUri}{(string.IsNullOrEmpty(absolute.Query) ? "?" : "&")}digest={Uri.EscapeDataString(digest)}");
        }

        using var finished = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Put, upload) { Content = Body(content, "application/octet-stream") }, cancellationToken);
        if (finished.StatusCode != HttpStatusCode.Created)
            throw await UnexpectedAsync(finished, cancellationToken);
        return digest;
    }

    /// <summary>
    /// Links a blob another repository of the same registry holds (<c>POST .../blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repository&gt;</c>):
    /// true when the registry did (201); false when it started an upload instead (202), which is then cancelled.
    /// </summary>
    public async Task<bool> MountBlobAsync(string registry, string repository, string digest, string fromRepository, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var session = OpenSession(registry, credentials, $"repository:{repository}:pull,push");
        var baseUri = OciReference.BaseUriFor(registry);
        var uri = new Uri(baseUri, $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(fromRepository)}");
        using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, uri), cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Created:
                return true;
            case HttpStatusCode.Accepted:
                if (response.Headers.Location is { } location)
                    (await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, new Uri(baseUri, location)), cancellationToken)).Dispose();
                return false;
            default:
                throw await UnexpectedAsync(response, cancellationToken);
        }
    }

    /// <summary>PUTs a manifest under the reference's tag (or digest) and returns its digest.</summary>
    public async Task<string> PushManifestAsync(OciReference reference, byte[] manifest, string mediaType, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var digest = Sha256Digest(manifest);
        var session = OpenSession(reference.Registry, credentials, $"repository:{reference.Repository}:pull,push");
        var uri = new Uri(reference.RegistryBaseUri, $"v2/{reference.Repository}/manifests/{reference.Reference}");
        using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Put, uri) { Content = Body(manifest, mediaType) }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
            throw await UnexpectedAsync(response, cancellationToken);
        VerifyDigest(response, digest, reference.Digest);
        return digest;
    }

    public static string Sha256Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private AuthorizingSession OpenSession(string registry, RegistryCredentials? credentials, string? scope)
    {
        if (credentials is not null)
            secrets.Register(credentials.Password);
        return new AuthorizingSession(this, registry, credentials, scope);
    }

    private AuthenticationHeaderValue BasicAuthorization(RegistryCredentials credentials)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        secrets.Register(encoded);
        return new AuthenticationHeaderValue("Basic", encoded);
    }

    /// <summary>
    /// Follows a Bearer challenge to its token realm. Returns the Authorization to retry with, or the realm's own refusal
    /// (for example 401 for wrong credentials), which then stands as the answer to the original request.
    /// </summary>
    private async Task<(AuthenticationHeaderValue? Authorization, HttpResponseMessage? Refusal)> FetchTokenAsync(
        string registry, AuthenticationChallenge challenge, RegistryCredentials? credentials, string? scope, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge["realm"], UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            throw new OciRegistryException($"Registry '{registry}' sent a Bearer challenge without a usable realm ('{challenge["realm"]}').");
        if (realm.Scheme == "http" && !OciReference.IsLoopback(realm.Authority))
            throw new OciRegistryException($"Registry '{registry}' points its token realm at plain-HTTP {realm.GetLeftPart(UriPartial.Path)}; only loopback realms may skip TLS.");

        var query = new List<string>();
        if (challenge["service"] is { } service)
            query.Add("service=" + Uri.EscapeDataString(service));
        if ((challenge["scope"] ?? scope) is { } requestedScope)
            query.Add("scope=" + Uri.EscapeDataString(requestedScope));
        var tokenUri = new Uri(realm.AbsoluteUri + (query.Count == 0 ? string.Empty : (string.IsNullOrEmpty(realm.Query) ? "?" : "&") + string.Join('&', query)));

        log.Debug($"Registry '{registry}' asked for a token; requesting one from {realm.GetLeftPart(UriPartial.Path)} {(credentials is null ? "anonymously" : $"as '{credentials.Username}'")}.");
        var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (credentials is not null)
            request.Headers.Authorization = BasicAuthorization(credentials);
        var response = await SendOnceAsync(registry, request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return (null, response);

        using (response)
        {
            var token = ReadToken(await response.Content.ReadAsStringAsync(cancellationToken))
                ?? throw new OciRegistryException($"The token realm {realm.GetLeftPart(UriPartial.Path)} of registry '{registry}' answered without a token.");
            secrets.Register(token);
            return (new AuthenticationHeaderValue("Bearer", token), null);
        }
    }

    private static string? ReadToken(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var name in new[] { "token", "access_token" })
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } token)
                    return token;
            }
        }
        catch (JsonException)
        {
            // Not JSON: no token, reported by the caller.
        }

        return null;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string registry, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (Exception exception) when (IsNetworkFailure(exception, cancellationToken))
            {
                throw new OciRegistryException($"Could not reach registry '{registry}' ({request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}): {exception.Message}", exception);
            }
        }
    }

    private static bool IsNetworkFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static void VerifyDigest(HttpResponseMessage response, string computed, string? expected)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } announced && announced != computed)
            throw new OciRegistryException($"{response.RequestMessage?.RequestUri} announced digest {announced}, but the manifest bytes hash to {computed}.");
        if (expected is not null && expected != computed)
            throw new OciRegistryException($"{response.RequestMessage?.RequestUri} returned content that hashes to {computed}, not the requested {expected}.");
    }

    private async Task<OciRegistryException> UnexpectedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var request = response.RequestMessage;
        return new OciRegistryException(
            $"{request?.Method} {request?.RequestUri?.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {await ErrorTextAsync(response, cancellationToken)}.");
    }

    /// <summary>The registry's own words: the distribution API's <c>errors</c> array when there is one, else the start of the body.</summary>
    private async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string text;
        try
        {
            using var document = JsonDocument.Parse(body);
            text = string.Join("; ", document.RootElement.GetProperty("errors").EnumerateArray()
                .Select(error => $"{error.GetProperty("code").GetString()}: {error.GetProperty("message").GetString()}"));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            text = body.Trim().ReplaceLineEndings(" ");
            if (text.Length > 200)
                text = text[..200] + "...";
        }

        return secrets.Redact(string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "no details" : text);
    }

    private static ByteArrayContent Body(byte[] content, string mediaType) =>
        new(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };

    /// <summary>Carries the Authorization a challenge earned across the requests of one operation (an upload is POST then PUT).</summary>
    private sealed class AuthorizingSession(OciRegistryClient client, string registry, RegistryCredentials? credentials, string? scope)
    {
        private AuthenticationHeaderValue? _authorization;

        public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
        {
            var response = await SendAuthorizedAsync(createRequest, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
                return response;

            var challenges = response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values)
                ? values.SelectMany(AuthenticationChallenge.ParseAll).ToList()
                : [];
            if (challenges.FirstOrDefault(challenge => challenge.IsBearer) is { } bearer)
            {
                var (authorization, refusal) = await client.FetchTokenAsync(registry, bearer, credentials, scope, cancellationToken);
                if (refusal is not null)
                {
                    response.Dispose();
                    return refusal;
                }

                _authorization = authorization;
            }
            else if (credentials is not null && challenges.Any(challenge => challenge.IsBasic))
            {
                _authorization = client.BasicAuthorization(credentials);
            }
            else
            {
                return response;
            }

            response.Dispose();
            return await SendAuthorizedAsync(createRequest, cancellationToken);
        }

        private Task<HttpResponseMessage> SendAuthorizedAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
        {
            var request = createRequest();
            request.Headers.Authorization = _authorization;
            return client.SendOnceAsync(registry, request, cancellationToken);
        }
    }
}
