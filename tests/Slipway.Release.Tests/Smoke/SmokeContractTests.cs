using Slipway.Release.Smoke;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Slipway.Release.Tests.Smoke;

/// <summary>
/// The contract checks what the build declared, not Beacon's paths: an app played by WireMock.Net on a loopback port, with
/// the probes of a chart that uses that port.
/// </summary>
public sealed class SmokeContractTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static readonly SmokeExpectations Stamped = new("2.0.1-ci.3.g0123456", Sha, "2.0.1-ci.3.g0123456");

    private static readonly SmokeEndpoints Declared = new(
        new ProvenanceEndpoint("/about", versionField: "release", gitShaField: "commit", chartVersionField: "chart"),
        ["/orders", "/admin/stats"]);

    private readonly WireMockServer _app = WireMockServer.Start();
    private readonly HttpClient _http = new();
    private readonly RecordingLog _log = new();

    public SmokeContractTests()
    {
        Answer("/live", 200);
        Answer("/ready", 200);
        Answer("/orders", 401);
        Answer("/admin/stats", 401);
        Answer("/about", 200, """{"release":"2.0.1-ci.3.g0123456","commit":"0123456789abcdef0123456789abcdef01234567","chart":"2.0.1-ci.3.g0123456"}""");
    }

    public void Dispose()
    {
        _http.Dispose();
        _app.Stop();
        _app.Dispose();
    }

    [Fact]
    public async Task The_declared_provenance_fields_and_every_protected_path_are_checked()
    {
        var result = await CheckAsync(Declared);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(
            ["readinessProbe GET /ready on port " + Port, "livenessProbe GET /live on port " + Port, "GET /about", "GET /orders without credentials", "GET /admin/stats without credentials"],
            result.Checks.Select(check => check.Name));
        Assert.Equal($"release=2.0.1-ci.3.g0123456, commit={Sha}, chart=2.0.1-ci.3.g0123456", result.Checks[2].Message);
    }

    [Fact]
    public async Task A_protected_path_that_answers_an_anonymous_caller_fails_naming_that_path()
    {
        Answer("/admin/stats", 200, "{}");

        var result = await CheckAsync(Declared);

        var failure = Assert.Single(result.Failures);
        Assert.Equal("GET /admin/stats without credentials", failure.Name);
        Assert.Contains("the protected endpoint is open", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_are_read_under_the_declared_names_only()
    {
        var result = await CheckAsync(new SmokeEndpoints(new ProvenanceEndpoint("/about", "version", "git_sha", "chart_version"), []));

        var failure = Assert.Single(result.Failures);
        Assert.Equal("GET /about", failure.Name);
        Assert.StartsWith("version is missing; git_sha is missing; chart_version is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stamped_value_the_app_does_not_report_names_the_declared_path_and_field()
    {
        Answer("/about", 200, """{"release":"9.9.9","commit":"0123456789abcdef0123456789abcdef01234567","chart":"2.0.1-ci.3.g0123456"}""");

        var result = await CheckAsync(Declared);

        Assert.Contains("/about release is '9.9.9' but the pipeline stamped '2.0.1-ci.3.g0123456'", Assert.Single(result.Failures).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("about", "version", "git_sha", "chart_version", "must start with '/'")]
    [InlineData("/about", "version", "version", "chart_version", "three distinct, non-empty field names")]
    [InlineData("/about", "version", "", "chart_version", "three distinct, non-empty field names")]
    public void A_bad_declaration_is_refused_with_the_fix(string path, string version, string gitSha, string chartVersion, string expected)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ProvenanceEndpoint(path, version, gitSha, chartVersion));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("fix SmokeEndpoints in the build", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_protected_path_without_a_leading_slash_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => new SmokeEndpoints(Declared.Provenance, ["orders"]));

        Assert.Contains("'orders', must start with '/'", exception.Message, StringComparison.Ordinal);
    }

    private int Port => _app.Port;

    private void Answer(string path, int status, string body = "")
    {
        _app.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(status).WithBody(body));
    }

    private Task<SmokeResult> CheckAsync(SmokeEndpoints endpoints)
    {
        var spec = new RunSpec
        {
            WorkloadName = "ledger",
            ContainerName = "ledger",
            ContainerField = "spec.template.spec.containers[0]",
            Environment = [new EnvSetting("LEDGER_CHART_VERSION", Stamped.ChartVersion, "env")],
            Ports = [new ContainerPortSpec("http", Port, "spec.template.spec.containers[0].ports[0]")],
            Readiness = Probe("readinessProbe", "/ready"),
            Liveness = Probe("livenessProbe", "/live"),
            Notes = [],
        };
        return new SmokeContract(_http, _log, endpoints) { ReadyTimeout = TimeSpan.FromSeconds(5) }.CheckAsync(new ListeningApp(Port), spec, Stamped);
    }

    private HttpProbeSpec Probe(string kind, string path) =>
        new(kind, path, Port, "http", $"spec.template.spec.containers[0].{kind}.httpGet.path", $"spec.template.spec.containers[0].{kind}.httpGet.port");

    private sealed class ListeningApp(int port) : ISmokeTarget
    {
        public string Platform => "linux/amd64";

        public bool HasExited => false;

        public int? ExitCode => null;

        public IReadOnlyList<string> OutputTail(int lines = 20) => [];

        public IReadOnlyList<int> ListeningPorts() => [port];
    }
}
