using System.Net;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

public sealed class BaseImageSelectionTests
{
    private static readonly BaseImage Distroless = new("127.0.0.1:5000/slipway/runtime-deps@sha256:" + new string('b', 64), "sha256:" + new string('b', 64), [], "distroless base from Debian packages", 4, 0);

    [Fact]
    public async Task A_requested_base_is_used_without_asking_any_registry()
    {
        var (selection, handler, log) = Selection(_ => throw new InvalidOperationException("no network expected"));
        var built = 0;

        var selected = await selection.SelectAsync("registry.example.com/base:1", _ => { built++; return Task.FromResult(Distroless); });

        Assert.Equal(("registry.example.com/base:1", "given with --base-image"), (selected.Reference, selected.Description));
        Assert.Equal((0, 0), (handler.Requests, built));
        Assert.Contains(log.Lines, line => line.Contains("Base image: registry.example.com/base:1 (given with --base-image)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Microsofts_chiseled_image_is_the_default_when_its_registry_answers()
    {
        var (selection, handler, _) = Selection(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var selected = await selection.SelectAsync(null, _ => throw new InvalidOperationException("must not build"));

        Assert.Equal(BaseImageSelection.MicrosoftDefault, selected.Reference);
        Assert.Contains("reachable", selected.Description, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task An_unreachable_default_falls_back_to_the_distroless_base_and_says_why()
    {
        var (selection, _, log) = Selection(_ => throw new HttpRequestException("Name or service not known (mcr.microsoft.com:443)"));

        var selected = await selection.SelectAsync(null, _ => Task.FromResult(Distroless));

        Assert.Equal(Distroless.Reference, selected.Reference);
        Assert.Contains("mcr.microsoft.com is not reachable", selected.Description, StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => line.Contains("Name or service not known", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_requested_base_is_refused()
    {
        var (selection, _, _) = Selection(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<FormatException>(() => selection.SelectAsync("runtime-deps", _ => Task.FromResult(Distroless)));

        Assert.StartsWith("--base-image:", error.Message, StringComparison.Ordinal);
    }

    private static (BaseImageSelection Selection, Handler Handler, RecordingLog Log) Selection(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        var log = new RecordingLog();
        var handler = new Handler(answer);
        return (new BaseImageSelection(new OciRegistryClient(new HttpClient(handler), new SecretRegistry(), log), log), handler, log);
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
