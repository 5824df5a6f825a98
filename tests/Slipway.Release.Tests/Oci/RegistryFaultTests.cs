using System.Text;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Secrets;
using Xunit.Abstractions;

namespace Slipway.Release.Tests.Oci;

/// <summary>
/// The OCI client against the real registry process behind the fault-injecting proxy: every transient fault is survived
/// with the retries in the log, every permanent one fails at once (the proxy saw one request), and the registry's tags
/// are listed afterwards to show exactly what was published.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class RegistryFaultTests(RegistryBinaryFixture binary, ITestOutputHelper report) : IAsyncLifetime
{
    private static readonly RetryBudget Fast = new(maxAttempts: 5, firstDelay: TimeSpan.FromMilliseconds(20), maxDelay: TimeSpan.FromMilliseconds(200), total: TimeSpan.FromSeconds(30));

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private EmbeddedRegistry _registry = null!;
    private FaultProxy _proxy = null!;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        _proxy = await FaultProxy.StartAsync(_registry.Address);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _proxy.DisposeAsync();
        await _registry.StopAsync();
    }

    private OciRegistryClient Client => new(_http, _secrets, _log, new RegistryRetry(_log, Fast));

    private OciReference At(string repositoryAndTag) => OciReference.Parse($"{_proxy.Address}/{repositoryAndTag}");

    private string[] Retries => [.. _log.Lines.Where(line => line.StartsWith("warning: ", StringComparison.Ordinal) && line.Contains("; retry ", StringComparison.Ordinal))];

    [Theory]
    [InlineData(FaultKind.ServiceUnavailable, "503 Service Unavailable")]
    [InlineData(FaultKind.ConnectionReset, "the connection was reset")]
    public async Task A_fault_on_every_third_request_is_survived_and_each_retry_says_why(FaultKind kind, string reason)
    {
        _proxy.With(new FaultRule(kind, _ => true, Every: 3));

        var pushed = await TestImage.PushAsync(Client, At("app:1.0.0"));
        var resolved = await Client.ResolveManifestAsync(At("app:1.0.0"));

        Assert.Equal(pushed, Assert.IsType<ManifestResolution.Found>(resolved).Digest);
        Assert.True(_proxy.Faulted(kind) >= 2, string.Join('\n', _proxy.Requests));
        Assert.Equal(_proxy.Faulted(kind), Retries.Length);
        Assert.All(Retries, retry => Assert.Contains(reason, retry, StringComparison.Ordinal));
        Assert.Equal(["1.0.0"], await Client.ListTagsAsync(_proxy.Address, "app"));
        report.WriteLine($"{kind} on every third request: {_proxy.Requests.Count} requests, {_proxy.Faulted(kind)} faulted, {Retries.Length} retries, pushed and resolved");
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_the_registry_asked_for()
    {
        _proxy.With(new FaultRule(FaultKind.TooManyRequests, request => request.Method == "PUT", Times: 1, Delay: TimeSpan.FromSeconds(1)));

        await TestImage.PushAsync(Client, At("app:1.0.0"));

        var retry = Assert.Single(Retries);
        Assert.Contains("429 Too Many Requests (Retry-After 1 s); retry 1 of 4 in 1.0 s", retry, StringComparison.Ordinal);
        Assert.Equal(["1.0.0"], await Client.ListTagsAsync(_proxy.Address, "app"));
    }

    [Fact]
    public async Task A_response_slower_than_the_timeout_is_a_timeout_and_retried()
    {
        _http.Dispose();
        _http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        var pushed = await TestImage.PushAsync(Client, At("app:1.0.0"));
        _proxy.With(new FaultRule(FaultKind.Slow, request => request.Method == "GET" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal), Times: 1, Delay: TimeSpan.FromSeconds(3)));

        var resolved = await Client.ResolveManifestAsync(At("app:1.0.0"));

        Assert.Equal(pushed, Assert.IsType<ManifestResolution.Found>(resolved).Digest);
        Assert.Contains("no answer within the HTTP timeout", Assert.Single(Retries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_blob_is_fetched_again()
    {
        var content = Encoding.UTF8.GetBytes(new string('x', 4096));
        var digest = await Client.PushBlobAsync(_proxy.Address, "app", content);
        _proxy.With(new FaultRule(FaultKind.TruncatedBody, request => request.Method == "GET" && request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal), Times: 1));

        var fetched = await Client.GetBlobAsync(_proxy.Address, "app", digest);

        Assert.Equal(content, fetched);
        Assert.Equal(1, _proxy.Faulted(FaultKind.TruncatedBody));
        // Kestrel drops the connection with a reset after the half body, as a proxy or load balancer cutting a transfer often does.
        Assert.Matches("blob sha256:[0-9a-f]{64}: (the connection was reset|the response ended prematurely); retry 1 of 4", Assert.Single(Retries));
    }

    [Fact]
    public async Task A_blob_with_other_content_under_its_digest_fails_at_once()
    {
        var digest = await Client.PushBlobAsync(_proxy.Address, "app", Encoding.UTF8.GetBytes("layer bytes"));
        _proxy.With(new FaultRule(FaultKind.CorruptBody, request => request.Method == "GET", Times: 1));

        var mismatch = await Assert.ThrowsAsync<OciRegistryException>(() => Client.GetBlobAsync(_proxy.Address, "app", digest));

        Assert.Contains($"not the requested {digest}", mismatch.Message, StringComparison.Ordinal);
        Assert.Empty(Retries);
        Assert.Single(_proxy.Requests, line => line.StartsWith("GET ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_manifest_is_asked_for_once()
    {
        var missing = await Client.ResolveManifestAsync(At("app:9.9.9"));

        Assert.IsType<ManifestResolution.NotFound>(missing);
        Assert.Single(_proxy.Requests);
        Assert.Empty(Retries);
    }

    [Fact]
    public async Task Faults_that_outlast_the_attempts_fail_with_how_often_and_why_and_nothing_is_tagged()
    {
        _proxy.With(new FaultRule(FaultKind.ServiceUnavailable, request => request.Method == "PUT" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal)));

        var failure = await Assert.ThrowsAsync<OciRegistryException>(() => TestImage.PushAsync(Client, At("app:1.0.0")));

        Assert.Contains($"PUT {_proxy.Address}/app:1.0.0 failed 5 times in ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("last with 503 Service Unavailable, and is given up: all 5 attempts are used", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, Retries.Length);
        Assert.Empty(await Client.ListTagsAsync(_proxy.Address, "app"));
    }
}
