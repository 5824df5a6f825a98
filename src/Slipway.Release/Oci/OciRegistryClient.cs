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
/// and Basic challenges), lists tags and pushes blobs and manifests. Every operation runs under <paramref name="retry"/>:
/// a 5xx, a 429 (waiting its Retry-After), a reset connection, a truncated body or a timeout is tried again; a refused
/// connection, 401, 403, 404 and a digest mismatch fail at once. Passwords and tokens are registered as secrets and never
/// appear in a message it writes or throws.
/// </summary>
public sealed class OciRegistryClient(HttpClient http, SecretRegistry secrets, IBuildLog log, RegistryRetry? retry = null) : IOciRegistry
{
    /// <summary>Sent with every request, so a registry's (or a test proxy's) log tells Slipway's calls from helm's and the SDK's.</summary>
    public const string UserAgent = "Slipway-OCI/1";

    private readonly RegistryRetry _retry = retry ?? new RegistryRetry(log);

    /// <summary>GETs a manifest by tag or digest and returns its sha256 digest, computed from the bytes received.</summary>
    /// <exception cref="OciRegistryException">The registry cannot be reached, answers an unexpected status, or its digest does not match the content.</exception>
    public Task<ManifestResolution> ResolveManifestAsync(OciReference reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default) =>
        RetryAsync($"GET {reference}", token => ResolveOnceAsync(reference, credentials, token), cancellationToken);

    private async Task<ManifestResolution> ResolveOnceAsync(OciReference reference, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var session = OpenSession(reference.Registry, credentials, $"repository:{reference.Repository}:pull");
        var uri = new Uri(reference.RegistryBaseUri, $"v2/{reference.Repository}/manifests/{reference.Reference}");
        using var response = await session.SendAsync(
            () =>
            {
                var request = Request(HttpMethod.Get, uri);
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
                    : new ManifestResolution.Unauthorized($"The registry {RegistryRefusal.Describe(response.StatusCode, credentials)}: {reference} ({refusal}).", CredentialsSent: true);
            default:
                throw await UnexpectedAsync(response, cancellationToken);
        }
    }

    /// <summary>Reachable means <c>GET /v2/</c> answers 200, or 401 (an OCI registry that wants credentials: <see cref="RegistryCheck.RequiresCredentials"/>).</summary>
    public async Task<RegistryCheck> CheckReachableAsync(string registry, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(OciReference.BaseUriFor(registry), "v2/");
        try
        {
            return await RetryAsync($"GET {uri}", async token =>
            {
                using var response = await SendOnceAsync(registry, Request(HttpMethod.Get, uri), token);
                return response.StatusCode switch
                {
                    HttpStatusCode.OK => new RegistryCheck(true, $"Registry '{registry}' is reachable at {uri} (200).") { Status = response.StatusCode },
                    HttpStatusCode.Unauthorized => new RegistryCheck(true, $"Registry '{registry}' is reachable at {uri} and asks for credentials (401).")
                    {
                        Status = response.StatusCode,
                        RequiresCredentials = true,
                    },
                    _ when Transient(response) is { } fault => throw new TransientFaultException(fault, $"GET {uri} answered {fault.Reason}."),
                    _ => new RegistryCheck(false, $"'{registry}' answered {(int)response.StatusCode} at {uri}: that is not an OCI registry's API root.") { Status = response.StatusCode },
                };
            }, cancellationToken);
        }
        catch (OciRegistryException exception)
        {
            return new RegistryCheck(false, exception.Message);
        }
    }

    /// <summary>
    /// Signs in the way a pull would (token or Basic) and checks that <c>GET /v2/</c> then answers 200; a refusal says which
    /// status it was, since a wrong password (401) and a user without the permission (403) need different fixes.
    /// </summary>
    public async Task<RegistryCheck> CheckCredentialsAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(OciReference.BaseUriFor(registry), "v2/");
        try
        {
            return await RetryAsync($"GET {uri} as '{credentials.Username}'", async token =>
            {
                using var response = await OpenSession(registry, credentials, scope: null).SendAsync(() => Request(HttpMethod.Get, uri), token);
                return response.StatusCode switch
                {
                    HttpStatusCode.OK => new RegistryCheck(true, $"Registry '{registry}' accepted the credentials of user '{credentials.Username}'.") { Status = response.StatusCode },
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryCheck(
                        false, $"Registry '{registry}' {RegistryRefusal.Describe(response.StatusCode, credentials)} ({(int)response.StatusCode} {await ErrorTextAsync(response, token)}).")
                    {
                        Status = response.StatusCode,
                    },
                    _ => throw await UnexpectedAsync(response, token),
                };
            }, cancellationToken);
        }
        catch (OciRegistryException exception)
        {
            return new RegistryCheck(false, exception.Message);
        }
    }

    /// <summary>The tags of a repository (<c>GET /v2/&lt;repository&gt;/tags/list</c>, every page); empty when the repository does not exist.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string registry, string repository, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default) =>
        RetryAsync<IReadOnlyList<string>>($"GET {registry}/{repository} tags", async token =>
        {
            var session = OpenSession(registry, credentials, $"repository:{repository}:pull");
            var baseUri = OciReference.BaseUriFor(registry);
            var tags = new List<string>();
            Uri? page = new(baseUri, $"v2/{repository}/tags/list");
            while (page is not null)
            {
                var current = page;
                using var response = await session.SendAsync(() => Request(HttpMethod.Get, current), token);
                if (response.StatusCode == HttpStatusCode.NotFound)
                    return [];
                if (response.StatusCode != HttpStatusCode.OK)
                    throw await UnexpectedAsync(response, token);
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
                if (document.RootElement.TryGetProperty("tags", out var names) && names.ValueKind == JsonValueKind.Array)
                    tags.AddRange(names.EnumerateArray().Select(name => name.GetString()!));
                page = NextPage(response, baseUri);
            }

            return [.. tags.Order(StringComparer.Ordinal)];
        }, cancellationToken);
    /// <summary>HEAD <c>/v2/&lt;repository&gt;/blobs/&lt;digest&gt;</c>: whether the registry already holds the blob in that repository.</summary>
    public Task<bool> BlobExistsAsync(string registry, string repository, string digest, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default) =>
        RetryAsync($"HEAD {registry}/{repository} blob {digest}", async token =>
        {
            var session = OpenSession(registry, credentials, $"repository:{repository}:pull");
            var uri = new Uri(OciReference.BaseUriFor(registry), $"v2/{repository}/blobs/{digest}");
            using var response = await session.SendAsync(() => Request(HttpMethod.Head, uri), token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => true,
                HttpStatusCode.NotFound => false,
                _ => throw await UnexpectedAsync(response, token),
            };
        }, cancellationToken);

    /// <summary>GETs a blob (a config or a layer) by digest, through the same token and Basic challenges as a manifest pull, and checks its bytes against the digest.</summary>
    /// <exception cref="OciRegistryException">The blob is missing, refused, unreachable, or its bytes do not hash to <paramref name="digest"/>.</exception>
    public Task<byte[]> GetBlobAsync(string registry, string repository, string digest, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default) =>
        RetryAsync($"GET {registry}/{repository} blob {digest}", async token =>
        {
            var session = OpenSession(registry, credentials, $"repository:{repository}:pull");
            var uri = new Uri(OciReference.BaseUriFor(registry), $"v2/{repository}/blobs/{digest}");
            using var response = await session.SendAsync(() => Request(HttpMethod.Get, uri), token);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var content = await response.Content.ReadAsByteArrayAsync(token);
                    var computed = Sha256Digest(content);
                    if (!string.Equals(computed, digest, StringComparison.Ordinal))
                        throw new OciRegistryException($"{uri} returned {content.Length} bytes that hash to {computed}, not the requested {digest}: the registry serves other content under that digest.");
                    return content;
                case HttpStatusCode.NotFound:
                    throw new OciRegistryException($"Blob {digest} of {registry}/{repository} was not found ({await ErrorTextAsync(response, token)}).") { Status = response.StatusCode };
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new OciRegistryException(
                        $"{registry}/{repository} {RegistryRefusal.Describe(response.StatusCode, credentials)}: blob {digest} ({(int)response.StatusCode} {await ErrorTextAsync(response, token)}).")
                    {
                        Status = response.StatusCode,
                    };
                default:
                    throw await UnexpectedAsync(response, token);
            }
        }, cancellationToken);

    /// <summary>Uploads a blob in one request (POST to start, PUT with the digest) and returns its digest; a retry starts a fresh upload.</summary>
    public Task<string> PushBlobAsync(string registry, string repository, byte[] content, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var digest = Sha256Digest(content);
        return RetryAsync($"upload of blob {digest} to {registry}/{repository}", async token =>
        {
            var session = OpenSession(registry, credentials, $"repository:{repository}:pull,push");
            var baseUri = OciReference.BaseUriFor(registry);

            Uri upload;
            using (var started = await session.SendAsync(() => Request(HttpMethod.Post, new Uri(baseUri, $"v2/{repository}/blobs/uploads/")), token))
            {
                if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is not { } location)
                    throw await UnexpectedAsync(started, token);
                // The upload location may be relative or absolute, and usually carries upload state in its query already.
                var absolute = new Uri(baseUri, location);
                upload = new Uri($"{absolute.AbsoluteUri}{(string.IsNullOrEmpty(absolute.Query) ? "?" : "&")}digest={Uri.EscapeDataString(digest)}");
            }

            using var finished = await session.SendAsync(() => Request(HttpMethod.Put, upload, Body(content, "application/octet-stream")), token);
            if (finished.StatusCode != HttpStatusCode.Created)
                throw await UnexpectedAsync(finished, token);
            return digest;
        }, cancellationToken);
    }

    /// <summary>
    /// Links a blob another repository of the same registry holds (<c>POST .../blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repository&gt;</c>):
    /// true when the registry did (201); false when it started an upload instead (202), which is then cancelled.
    /// </summary>
    public Task<bool> MountBlobAsync(string registry, string repository, string digest, string fromRepository, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default) =>
        RetryAsync($"mount of blob {digest} from {fromRepository} into {registry}/{repository}", async token =>
        {
            var session = OpenSession(registry, credentials, $"repository:{repository}:pull,push");
            var baseUri = OciReference.BaseUriFor(registry);
            var uri = new Uri(baseUri, $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(fromRepository)}");
            using var response = await session.SendAsync(() => Request(HttpMethod.Post, uri), token);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    return true;
                case HttpStatusCode.Accepted:
                    if (response.Headers.Location is { } location)
                        (await session.SendAsync(() => Request(HttpMethod.Delete, new Uri(baseUri, location)), token)).Dispose();
                    return false;
                default:
                    throw await UnexpectedAsync(response, token);
            }
        }, cancellationToken);

    /// <summary>PUTs a manifest under the reference's tag (or digest) and returns its digest; the same bytes again are harmless, so it is retried.</summary>
    public Task<string> PushManifestAsync(OciReference reference, byte[] manifest, string mediaType, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var digest = Sha256Digest(manifest);
        return RetryAsync($"PUT {reference}", async token =>
        {
            var session = OpenSession(reference.Registry, credentials, $"repository:{reference.Repository}:pull,push");
            var uri = new Uri(reference.RegistryBaseUri, $"v2/{reference.Repository}/manifests/{reference.Reference}");
            using var response = await session.SendAsync(() => Request(HttpMethod.Put, uri, Body(manifest, mediaType)), token);
            if (response.StatusCode != HttpStatusCode.Created)
                throw await UnexpectedAsync(response, token);
            VerifyDigest(response, digest, reference.Digest);
            return digest;
        }, cancellationToken);
    }

    public static string Sha256Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A 5xx, 429 or 408: worth another attempt, with the wait a 429 or 503 asked for (<c>Retry-After</c>, seconds or a date).</summary>
    internal static TransientFault? Transient(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is not (>= 500 and <= 599 or 429 or 408))
            return null;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };
        var reason = $"{status} {response.ReasonPhrase}".Trim();
        return new TransientFault(retryAfter is { } asked ? $"{reason} (Retry-After {asked.TotalSeconds:0.#} s)" : reason, retryAfter);
    }

    /// <summary>
    /// A network failure is transient when the connection was made and then broke (reset, truncated response, a timeout);
    /// permanent when there is nothing to talk to (refused, no such host, a TLS failure): retrying cannot change those.
    /// </summary>
    internal static TransientFault? Transient(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            return new TransientFault("no answer within the HTTP timeout");
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError })
            return null;
        var socket = Innermost<System.Net.Sockets.SocketException>(exception);
        if (socket?.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound
            or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.AccessDenied)
            return null;
        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }
                => new TransientFault("the response ended prematurely"),
            _ when socket?.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted => new TransientFault("the connection was reset"),
            _ when socket?.SocketErrorCode is System.Net.Sockets.SocketError.TimedOut => new TransientFault("the connection timed out"),
            HttpRequestException or IOException => new TransientFault($"a broken connection ({exception.Message})"),
            _ => null,
        };
    }

    private static T? Innermost<T>(Exception exception)
        where T : Exception
    {
        T? found = null;
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
                found = match;
        }

        return found;
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        return request;
    }

    private static Uri? NextPage(HttpResponseMessage response, Uri baseUri)
    {
        // Link: </v2/<name>/tags/list?n=100&last=x>; rel="next"
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        var next = links.SelectMany(link => link.Split(',')).FirstOrDefault(link => link.Contains("rel=\"next\"", StringComparison.Ordinal));
        var start = next?.IndexOf('<', StringComparison.Ordinal) ?? -1;
        var end = next?.IndexOf('>', StringComparison.Ordinal) ?? -1;
        return start >= 0 && end > start ? new Uri(baseUri, next![(start + 1)..end]) : null;
    }

    /// <summary>One operation under the retry policy; what is still transient when the budget is spent ends as an <see cref="OciRegistryException"/>.</summary>
    private async Task<T> RetryAsync<T>(string operation, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.RunAsync(operation, async token =>
            {
                try
                {
                    return await body(token);
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException && Transient(exception, token) is { } fault)
                {
                    // A body read that broke off (a truncated blob, a reset while streaming) is as transient as a failed send.
                    throw new TransientFaultException(fault, $"{operation}: {fault.Reason} ({exception.Message})", exception);
                }
            }, cancellationToken);
        }
        catch (RetriesExhaustedException exhausted)
        {
            throw new OciRegistryException(exhausted.Message, exhausted);
        }
    }

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
        var request = Request(HttpMethod.Get, tokenUri);
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

    /// <summary>One HTTP exchange: a broken connection is a <see cref="TransientFaultException"/>, nothing to connect to an <see cref="OciRegistryException"/>.</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(string registry, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var what = $"registry '{registry}' ({request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)})";
                if (Transient(exception, cancellationToken) is { } fault)
                    throw new TransientFaultException(fault, $"{fault.Reason}: {what}: {exception.Message}", exception);
                throw new OciRegistryException($"Could not reach {what}: {exception.Message}", exception);
            }
        }
    }

    private static void VerifyDigest(HttpResponseMessage response, string computed, string? expected)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } announced && announced != computed)
            throw new OciRegistryException($"{response.RequestMessage?.RequestUri} announced digest {announced}, but the manifest bytes hash to {computed}.");
        if (expected is not null && expected != computed)
            throw new OciRegistryException($"{response.RequestMessage?.RequestUri} returned content that hashes to {computed}, not the requested {expected}.");
    }

    /// <summary>A status no caller handles: transient for 5xx, 429 and 408 (so it is retried), else a refusal classified by its status.</summary>
    private async Task<Exception> UnexpectedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var request = response.RequestMessage;
        var what = $"{request?.Method} {request?.RequestUri?.GetLeftPart(UriPartial.Path)}";
        var words = await ErrorTextAsync(response, cancellationToken);
        if (Transient(response) is { } fault)
            return new TransientFaultException(fault, $"{what} answered {fault.Reason}: {words}.");
        var meaning = RegistryRefusal.Meaning(response.StatusCode);
        return new OciRegistryException($"{what} answered {(int)response.StatusCode} {words}{(meaning is null ? string.Empty : $" ({meaning})")}.") { Status = response.StatusCode };
    }

    /// <summary>The registry's own words: the distribution API's <c>errors</c> array when there is one, else the start of the body.</summary>
    private async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // The error body itself broke off: the status is what there is to say.
            body = string.Empty;
        }

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
