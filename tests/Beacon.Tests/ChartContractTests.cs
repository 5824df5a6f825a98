using System.Net;
using System.Text.RegularExpressions;
using Beacon.Auth;
using Beacon.Hosting;
using Beacon.Provenance;

namespace Beacon.Tests;

/// <summary>The chart and the app agree: every variable the chart sets is one the app reads, and the
/// probe paths and port the chart uses are the ones the app serves.</summary>
public sealed partial class ChartContractTests
{
    private static readonly string Chart = FindChart();

    private static string FindChart()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "charts", "beacon");
            if (File.Exists(Path.Combine(candidate, "Chart.yaml")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("charts/beacon not found above the test directory.");
    }

    private static string Template(string name) => File.ReadAllText(Path.Combine(Chart, "templates", name));

    /// <summary>Every variable name the app reads, and what reads it.</summary>
    private static readonly Dictionary<string, string> AppReads = new(StringComparer.Ordinal)
    {
        ["PORT"] = nameof(ListenPort),
        [VersionResponse.ChartVersionVariable] = nameof(VersionResponse),
        ["Auth__" + nameof(AuthSettings.Issuer)] = nameof(AuthSettings),
        ["Auth__" + nameof(AuthSettings.Audience)] = nameof(AuthSettings),
        ["Auth__" + nameof(AuthSettings.SigningKeyFile)] = nameof(AuthSettings),
        ["Logging__LogLevel__Default"] = "Microsoft.Extensions.Logging",
    };

    [Fact]
    public void Every_variable_the_chart_sets_is_read_by_the_app()
    {
        var data = Regex.Split(Template("configmap.yaml"), "(?m)^data:")[1];
        var fromConfigMap = ConfigMapKey().Matches(data).Select(m => m.Groups[1].Value);
        var deployment = Template("deployment.yaml");
        var envBlock = deployment[deployment.IndexOf("env:", StringComparison.Ordinal)..deployment.IndexOf("startupProbe:", StringComparison.Ordinal)];
        var fromEnv = EnvName().Matches(envBlock).Select(m => m.Groups[1].Value);

        var set = fromConfigMap.Concat(fromEnv).ToList();

        Assert.NotEmpty(set);
        Assert.All(set, name => Assert.True(AppReads.ContainsKey(name), $"The chart sets {name}, which the app does not read."));
        Assert.Contains("CHART_VERSION", set);
        Assert.Contains("PORT", set);
    }

    [Fact]
    public void Chart_version_variable_is_set_from_the_chart_version()
    {
        Assert.Matches(@"- name: CHART_VERSION\s+value: \{\{ \.Chart\.Version \| quote \}\}", Template("deployment.yaml"));
    }

    [Fact]
    public void Default_container_port_is_the_app_default_port()
    {
        var values = File.ReadAllText(Path.Combine(Chart, "values.yaml"));
        Assert.Matches($"(?m)^containerPort: {ListenPort.Default}$", values);
    }

    [Fact]
    public async Task Probe_paths_in_the_chart_are_served_anonymously()
    {
        var paths = ProbePath().Matches(Template("deployment.yaml")).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["/healthz", "/ready"], paths.Order());

        using var factory = new BeaconFactory();
        using var client = factory.CreateClient();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [GeneratedRegex(@"(?m)^  ([A-Za-z_][A-Za-z0-9_]*):")]
    private static partial Regex ConfigMapKey();

    [GeneratedRegex(@"(?m)^\s+- name: ([A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"path: (/[a-z]+)\s+port: http")]
    private static partial Regex ProbePath();
}
