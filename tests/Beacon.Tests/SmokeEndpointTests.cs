using System.Net;
using System.Text.Json;
using Beacon.Provenance;
using Beacon.Readiness;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Beacon.Tests;

public sealed class SmokeEndpointTests
{
    [Fact]
    public async Task Healthz_is_200_while_up()
    {
        using var factory = new BeaconFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_is_200_once_started_and_all_checks_pass()
    {
        using var factory = new BeaconFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.True(body.RootElement.GetProperty("checks").GetProperty(StartedCheck.Name).GetBoolean());
    }

    [Fact]
    public async Task Ready_is_503_while_any_check_fails_and_200_when_it_passes()
    {
        var dependencyUp = false;
        using var factory = new BeaconFactory(services: s =>
            s.AddHealthChecks().AddReadinessCheck("dependency", () => Volatile.Read(ref dependencyUp)));
        using var client = factory.CreateClient();

        using (var failing = await client.GetAsync(new Uri("/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
            using var body = JsonDocument.Parse(await failing.Content.ReadAsStringAsync());
            Assert.Equal("not_ready", body.RootElement.GetProperty("status").GetString());
            Assert.False(body.RootElement.GetProperty("checks").GetProperty("dependency").GetBoolean());
            Assert.True(body.RootElement.GetProperty("checks").GetProperty(StartedCheck.Name).GetBoolean());
        }

        Volatile.Write(ref dependencyUp, true);

        using var passing = await client.GetAsync(new Uri("/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, passing.StatusCode);
    }

    [Fact]
    public async Task Ready_is_503_when_a_check_throws()
    {
        using var factory = new BeaconFactory(services: s =>
            s.AddHealthChecks().AddReadinessCheck("broken", () => throw new InvalidOperationException("boom")));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_stays_200_while_not_ready()
    {
        using var factory = new BeaconFactory(services: s =>
            s.AddHealthChecks().AddReadinessCheck("never", () => false));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Version_reports_the_stamped_build_and_the_chart_version_from_CHART_VERSION()
    {
        var stamped = new BuildInfo("1.4.0-pr.12.7", "0123456789abcdef0123456789abcdef01234567", "2026-11-24T03:35:12Z");
        using var factory = new BeaconFactory(
            new Dictionary<string, string?> { [VersionResponse.ChartVersionVariable] = "0.1.0-pr.12.7" },
            s => s.Replace(ServiceDescriptor.Singleton(stamped)));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/version", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("1.4.0-pr.12.7", root.GetProperty("version").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", root.GetProperty("git_sha").GetString());
        Assert.Equal("0.1.0-pr.12.7", root.GetProperty("chart_version").GetString());
        Assert.Equal("2026-11-24T03:35:12Z", root.GetProperty("commit_time").GetString());
        Assert.Equal(4, root.EnumerateObject().Count());
    }

    [Fact]
    public async Task Version_without_a_chart_reports_none_and_the_baked_in_build()
    {
        using var factory = new BeaconFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/version", UriKind.Relative));

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var baked = BuildInfo.FromAssembly(typeof(BuildInfo).Assembly);
        Assert.Equal(baked.Version, root.GetProperty("version").GetString());
        Assert.Equal(baked.GitSha, root.GetProperty("git_sha").GetString());
        Assert.Equal(baked.CommitTime, root.GetProperty("commit_time").GetString());
        Assert.Equal(VersionResponse.NoChart, root.GetProperty("chart_version").GetString());
    }

    [Fact]
    public void Baked_in_provenance_is_well_formed()
    {
        var baked = BuildInfo.FromAssembly(typeof(BuildInfo).Assembly);

        Assert.Matches("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$", baked.Version);
        Assert.Matches("^[0-9a-f]{40}$", baked.GitSha);
        Assert.True(DateTimeOffset.TryParse(baked.CommitTime, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Missing_provenance_metadata_is_an_error_not_a_blank()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildInfo.FromAssembly(typeof(SmokeEndpointTests).Assembly));
        Assert.Contains("BeaconVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anything_not_explicitly_anonymous_is_refused_without_credentials()
    {
        using var factory = new BeaconFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/nope", UriKind.Relative));

        // Deny by default: the fallback policy also covers paths with no endpoint.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
