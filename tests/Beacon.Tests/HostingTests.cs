using Beacon.Hosting;
using Beacon.Readiness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Beacon.Tests;

public sealed class HostingTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();

    [Fact]
    public void Port_defaults_to_8080() => Assert.Equal(8080, ListenPort.Resolve(Config()));

    [Fact]
    public void PORT_wins_over_Beacon_Port() =>
        Assert.Equal(9000, ListenPort.Resolve(Config(("PORT", "9000"), ("Beacon:Port", "9001"))));

    [Fact]
    public void Beacon_Port_is_used_without_PORT() =>
        Assert.Equal(9001, ListenPort.Resolve(Config(("Beacon:Port", "9001"), ("http_ports", "8081"))));

    [Fact]
    public void AspNetCore_http_ports_is_left_alone() => Assert.Null(ListenPort.Resolve(Config(("http_ports", "8081"))));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("http")]
    public void A_bad_port_is_a_clear_error(string raw)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ListenPort.Resolve(Config(("PORT", raw))));
        Assert.Contains("PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_check_follows_the_host_lifetime()
    {
        using var lifetime = new FakeLifetime();
        var check = new StartedCheck(lifetime);
        var context = new HealthCheckContext();

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
        await lifetime.Started.CancelAsync();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
        await lifetime.Stopping.CancelAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        public CancellationTokenSource Started { get; } = new();

        public CancellationTokenSource Stopping { get; } = new();

        private readonly CancellationTokenSource stopped = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => stopped.Token;

        public void StopApplication() => Stopping.Cancel();

        public void Dispose()
        {
            Started.Dispose();
            Stopping.Dispose();
            stopped.Dispose();
        }
    }
}
