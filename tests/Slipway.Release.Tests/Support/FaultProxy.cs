using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Slipway.Release.Tests.Support;

/// <summary>What <see cref="FaultProxy"/> does to a request a rule matches.</summary>
public enum FaultKind
{
    /// <summary>Answers 503 Service Unavailable itself; the registry never sees the request.</summary>
    ServiceUnavailable,

    /// <summary>Answers 429 Too Many Requests with <c>Retry-After</c> (whole seconds of the rule's delay).</summary>
    TooManyRequests,

    /// <summary>Resets the connection (TCP RST) before any answer.</summary>
    ConnectionReset,

    /// <summary>Waits the rule's delay, then forwards: slower than a client's timeout, it is a timeout.</summary>
    Slow,

    /// <summary>Forwards, then sends half of the registry's body under the full Content-Length and drops the connection.</summary>
    TruncatedBody,

    /// <summary>Forwards, with one byte of the body changed: the same length, other content.</summary>
    CorruptBody,
}

/// <param name="Matches">Which requests the rule looks at.</param>
/// <param name="Every">Of the matching requests, every Nth is faulted (1: all of them).</param>
/// <param name="Times">At most this many faults.</param>
internal sealed record FaultRule(FaultKind Kind, Func<HttpRequest, bool> Matches, int Every = 1, int Times = int.MaxValue, TimeSpan Delay = default);

/// <summary>
/// A fault-injecting HTTP proxy in front of a real registry process, on a free loopback port: requests pass through
/// unchanged (the Host header too, so the registry's upload locations point back at the proxy) unless a rule faults them.
/// It records every request and what it did to it, for the tests to show which faults were met and how often.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _upstreamAddress;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly List<(FaultRule Rule, int[] Counters)> _rules = [];

    private FaultProxy(WebApplication app, string upstreamAddress)
    {
        _app = app;
        _upstreamAddress = upstreamAddress;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>: use it as the registry.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Every request as <c>METHOD /path -&gt; status</c>, or <c>-&gt; fault</c> for what the proxy did instead.</summary>
    public IReadOnlyList<string> Requests => [.. _log];

    public int Faulted(FaultKind kind) => _log.Count(line => line.EndsWith($"-> {kind}", StringComparison.Ordinal));

    public static async Task<FaultProxy> StartAsync(string upstreamAddress)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstreamAddress);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Address = new Uri(address).Authority;
        return proxy;
    }

    public FaultProxy With(FaultRule rule)
    {
        lock (_rules)
            _rules.Add((rule, [0, 0]));
        return this;
    }

    /// <summary>No more faults: every request passes through from now on.</summary>
    public void Clear()
    {
        lock (_rules)
            _rules.Clear();
    }

    /// <summary>Requests whose path starts with <c>/v2/&lt;repository&gt;/</c>.</summary>
    public static Func<HttpRequest, bool> Repository(string repository) =>
        request => request.Path.StartsWithSegments($"/v2/{repository}", StringComparison.Ordinal);

    /// <summary>Requests sent by Slipway's own OCI client (its User-Agent), not helm's, cosign's or the SDK's.</summary>
    public static bool FromSlipway(HttpRequest request) => request.Headers.UserAgent.ToString().Contains(Slipway.Release.Oci.OciRegistryClient.UserAgent, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private FaultRule? FaultFor(HttpRequest request)
    {
        lock (_rules)
        {
            foreach (var (rule, counters) in _rules)
            {
                if (!rule.Matches(request))
                    continue;
                counters[0]++;
                if (counters[0] % rule.Every == 0 && counters[1] < rule.Times)
                {
                    counters[1]++;
                    return rule;
                }
            }
        }

        return null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var line = $"{request.Method} {request.Path}{request.QueryString}";
        var fault = FaultFor(request);
        switch (fault?.Kind)
        {
            case FaultKind.ServiceUnavailable:
                _log.Enqueue($"{line} -> {fault.Kind}");
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("injected: 503 Service Unavailable");
                return;
            case FaultKind.TooManyRequests:
                _log.Enqueue($"{line} -> {fault.Kind}");
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(fault.Delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("""{"errors":[{"code":"TOOMANYREQUESTS","message":"injected: slow down"}]}""");
                return;
            case FaultKind.ConnectionReset:
                _log.Enqueue($"{line} -> {fault.Kind}");
                if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
                    socket.LingerState = new LingerOption(true, 0);
                context.Abort();
                return;
            case FaultKind.Slow:
                _log.Enqueue($"{line} -> {fault.Kind}");
                await Task.Delay(fault.Delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                if (context.RequestAborted.IsCancellationRequested)
                    return;
                break;
        }

        using var forwarded = await ForwardAsync(context);
        var body = await forwarded.Content.ReadAsByteArrayAsync();
        context.Response.StatusCode = (int)forwarded.StatusCode;
        foreach (var (name, values) in forwarded.Headers.Concat(forwarded.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                context.Response.Headers[name] = values.ToArray();
        }

        if (fault?.Kind == FaultKind.TruncatedBody && body.Length > 1)
        {
            _log.Enqueue($"{line} -> {fault.Kind}");
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        if (fault?.Kind == FaultKind.CorruptBody && body.Length > 0)
        {
            _log.Enqueue($"{line} -> {fault.Kind}");
            body[^1] ^= 0xff;
        }
        else if (fault?.Kind is not FaultKind.Slow)
        {
            _log.Enqueue($"{line} -> {(int)forwarded.StatusCode}");
        }

        // A HEAD answer keeps the registry's Content-Length: it is the size of what a GET would send.
        if (!HttpMethods.IsHead(request.Method))
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var upstream = new HttpRequestMessage(new HttpMethod(request.Method), $"http://{_upstreamAddress}{request.Path}{request.QueryString}");
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            upstream.Content = new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!upstream.Headers.TryAddWithoutValidation(name, values.ToArray()))
                upstream.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        // The registry writes upload locations from the Host it is asked by: the proxy's, so they lead back through it.
        upstream.Headers.Host = request.Host.Value;
        return await _upstream.SendAsync(upstream, HttpCompletionOption.ResponseContentRead, context.RequestAborted);
    }
}
