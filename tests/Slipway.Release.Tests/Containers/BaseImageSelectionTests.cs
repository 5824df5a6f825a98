using System.Net;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

public sealed class BaseImageSelectionTests
{
    private static readonly BaseImage Distroless = new("127.0.0.1:5000/slipway/runtime-deps@sha256:" + new string('b', 64), "sha256:" + new string('b', 64), [], "distroless base from Debian packages", 4, 0);

    [Fact]
    public async Task A_requested_base_is_resolved_in_its_registry_and_used_when_it_has_every_platform()
    {
        var (selection, handler, log) = Selection(request => Index(request, "amd64", "arm64"));
        var built = 0;

        var selected = await selection.SelectAsync("registry.example.com/base:1", ContainerPlatform.Default, null, _ => { built++; return Task.FromResult(Distroless); });

        Assert.Equal("registry.example.com/base:1", selected.Reference);
        Assert.Matches(@"^given with --base-image: sha256:[0-9a-f]{64}, linux/amd64, linux/arm64$", selected.Description);
        Assert.Equal((1, 0), (handler.Requests, built));
        Assert.Single(log.Lines, line => line.Contains("Base image: registry.example.com/base:1 (given with --base-image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_requested_base_the_registry_does_not_have_is_refused_naming_the_parameter_before_any_build()
    {
        var (selection, _, _) = Selection(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"""),
        });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            selection.SelectAsync("registry.example.com/base:nope", ContainerPlatform.Default, null, _ => throw new InvalidOperationException("must not build")));

        Assert.StartsWith("--base-image registry.example.com/base:nope cannot be used: the registry has no such image", refused.Message, StringComparison.Ordinal);
        Assert.Contains("MANIFEST_UNKNOWN", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Next step: fix the reference, push that image, or leave --base-image empty to use the default base.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requested_base_without_a_platform_the_build_needs_is_refused_naming_it()
    {
        var (selection, _, _) = Selection(request => Index(request, "amd64"));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            selection.SelectAsync("registry.example.com/base:amd64-only", ContainerPlatform.Default, null, _ => throw new InvalidOperationException("must not build")));

        Assert.Contains("has no linux/arm64 image; it has linux/amd64.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--platforms", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requested_base_on_an_unreachable_registry_is_refused_naming_the_parameter()
    {
        var (selection, _, _) = Selection(_ => throw new HttpRequestException("Connection refused (127.0.0.1:9)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            selection.SelectAsync("127.0.0.1:9/base:1", ContainerPlatform.Default, null, _ => throw new InvalidOperationException("must not build")));

        Assert.StartsWith("--base-image 127.0.0.1:9/base:1 cannot be used: Could not reach registry '127.0.0.1:9'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requested_base_whose_registry_wants_a_login_this_build_lacks_is_left_to_the_sdk_with_a_warning()
    {
        var (selection, _, log) = Selection(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized));

        var selected = await selection.SelectAsync("private.example.com/base:1", ContainerPlatform.Default, null, _ => throw new InvalidOperationException("must not build"));

        Assert.Equal("private.example.com/base:1", selected.Reference);
        Assert.Contains(log.Lines, line => line.StartsWith("warning: --base-image private.example.com/base:1 could not be checked", StringComparison.Ordinal));
    }

    private static HttpResponseMessage Index(HttpRequestMessage request, params string[] architectures)
    {
        Assert.EndsWith("/manifests/" + request.RequestUri!.Segments[^1], request.RequestUri.AbsolutePath, StringComparison.Ordinal);
        var entries = string.Join(',', architectures.Select(architecture =>
            $$$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{{{new string('1', 64)}}}","size":1,"platform":{"os":"linux","architecture":"{{{architecture}}}"}}"""));
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{{entries}}]}""", System.Text.Encoding.UTF8, "application/vnd.oci.image.index.v1+json"),
        };
    }

    [Fact]
    public async Task Microsofts_chiseled_image_is_the_default_when_its_registry_answers()
    {
        var (selection, handler, _) = Selection(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var selected = await selection.SelectAsync(null, ContainerPlatform.Default, null, _ => throw new InvalidOperationException("must not build"));

        Assert.Equal(BaseImageSelection.MicrosoftDefault, selected.Reference);
        Assert.Contains("reachable", selected.Description, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task An_unreachable_default_falls_back_to_the_distroless_base_and_says_why()
    {
        var (selection, _, log) = Selection(_ => throw new HttpRequestException("Name or service not known (mcr.microsoft.com:443)"));

        var selected = await selection.SelectAsync(null, ContainerPlatform.Default, null, _ => Task.FromResult(Distroless));

        Assert.Equal(Distroless.Reference, selected.Reference);
        Assert.Contains("mcr.microsoft.com is not reachable", selected.Description, StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => line.Contains("Name or service not known", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_requested_base_is_refused()
    {
        var (selection, _, _) = Selection(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<FormatException>(() => selection.SelectAsync("runtime-deps", ContainerPlatform.Default, null, _ => Task.FromResult(Distroless)));

        Assert.StartsWith("--base-image:", error.Message, StringComparison.Ordinal);
    }

    private static (BaseImageSelection Selection, Handler Handler, RecordingLog Log) Selection(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        var log = new RecordingLog();
        var handler = new Handler(answer);
        var noRetries = new RegistryRetry(log, new RetryBudget(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));
        return (new BaseImageSelection(new OciRegistryClient(new HttpClient(handler), new SecretRegistry(), log, noRetries), log), handler, log);
    }

    private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(answer(request));
        }
    }
}
