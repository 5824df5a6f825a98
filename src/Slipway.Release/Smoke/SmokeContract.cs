using System.Net;
using System.Text.Json;
using Slipway.Logging;

namespace Slipway.Release.Smoke;

/// <summary>What the pipeline stamped, which the declared provenance endpoint must report.</summary>
public sealed record SmokeExpectations(string Version, string GitSha, string ChartVersion);

/// <summary>One line of the contract: its name (e.g. <c>GET /version</c>), whether it held, and in words what happened.</summary>
public sealed record SmokeCheck(string Name, bool Passed, string Message);

/// <summary>All checks run against one platform's process.</summary>
public sealed record SmokeResult(string Platform, IReadOnlyList<SmokeCheck> Checks)
{
    public bool Passed => Checks.Count > 0 && Checks.All(check => check.Passed);

    public IEnumerable<SmokeCheck> Failures => Checks.Where(check => !check.Passed);

    /// <exception cref="SmokeFailedException">A check failed; the message carries every failure.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
            throw new SmokeFailedException(this);
    }

    public override string ToString() =>
        $"{Platform}: {(Passed ? "passed" : "FAILED")}{Environment.NewLine}" +
        string.Join(Environment.NewLine, Checks.Select(check => $"  {(check.Passed ? "ok  " : "FAIL")} {check.Name}: {check.Message}"));
}

public sealed class SmokeFailedException(SmokeResult result) : Exception(
    $"The image smoke failed on {result.Platform}:{Environment.NewLine}" + string.Join(Environment.NewLine, result.Failures.Select(failure => $"- {failure.Name}: {failure.Message}")))
{
    public SmokeResult Result { get; } = result;
}

/// <summary>What the contract needs to know about the running app, beyond its HTTP answers.</summary>
public interface ISmokeTarget
{
    string Platform { get; }

    bool HasExited { get; }

    int? ExitCode { get; }

    IReadOnlyList<string> OutputTail(int lines = 20);

    IReadOnlyList<int> ListeningPorts();
}

/// <summary>
/// The smoke contract, checked over HTTP on 127.0.0.1 at the ports the chart declares: the readiness probe path answers
/// 200 (waited for, bounded), the liveness probe path 200, and then what the build declared (<see cref="SmokeEndpoints"/>):
/// the provenance endpoint reports what was stamped in its declared fields (none empty or "unknown"), and every protected
/// path without credentials is refused with 401. A failure names the chart field involved and what the app did instead
/// (where it listens, what it answered, its last output lines).
/// </summary>
public sealed class SmokeContract(HttpClient http, IBuildLog log, SmokeEndpoints endpoints)
{
    private const int LogLines = 8;

    /// <summary>How long the app may take to become ready (startup under emulation is slow).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long the app may listen elsewhere while the probe port refuses, before that counts as a wrong port.</summary>
    public TimeSpan WrongPortGrace { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<SmokeResult> CheckAsync(ISmokeTarget app, RunSpec spec, SmokeExpectations expected, CancellationToken cancellationToken = default)
    {
        var checks = new List<SmokeCheck>();
        if (spec.Readiness is null)
        {
            checks.Add(new SmokeCheck("readiness probe", false, $"the chart declares no httpGet readinessProbe ({spec.ContainerField}.readinessProbe): there is nothing that says when the app is ready"));
            return Done(app, checks);
        }

        var ready = await WaitReadyAsync(app, spec.Readiness, cancellationToken);
        checks.Add(ready);
        if (!ready.Passed)
            return Done(app, checks);

        checks.Add(spec.Liveness is null
            ? new SmokeCheck("liveness probe", false, $"the chart declares no httpGet livenessProbe ({spec.ContainerField}.livenessProbe)")
            : await ProbeOnceAsync(app, spec.Liveness, cancellationToken));

        var port = spec.Ports.FirstOrDefault()?.Number ?? spec.Readiness.Port;
        var portWords = spec.Ports.FirstOrDefault() is { } declared ? $"port {port} ({declared.Field})" : $"port {port} (the readiness probe's)";
        checks.Add(await VersionAsync(app, spec, expected, port, portWords, cancellationToken));
        foreach (var path in endpoints.ProtectedPaths)
            checks.Add(await ProtectedAsync(app, path, port, portWords, cancellationToken));
        return Done(app, checks);
    }

    private SmokeResult Done(ISmokeTarget app, List<SmokeCheck> checks)
    {
        var result = new SmokeResult(app.Platform, checks);
        foreach (var check in checks)
        {
            if (check.Passed)
                log.Info($"[{app.Platform}] ok   {check.Name}: {check.Message}");
            else
                log.Error($"[{app.Platform}] FAIL {check.Name}: {check.Message}");
        }

        return result;
    }

    private async Task<SmokeCheck> WaitReadyAsync(ISmokeTarget app, HttpProbeSpec probe, CancellationToken cancellationToken)
    {
        var name = $"readinessProbe GET {probe.Path} on port {probe.Port}";
        var started = DateTime.UtcNow;
        DateTime? listeningElsewhereSince = null;
        HttpStatusCode? lastStatus = null;
        string? lastError = null;
        while (true)
        {
            if (app.HasExited)
                return new SmokeCheck(name, false, $"the app exited (code {app.ExitCode}) before {probe.Path} answered 200{Log(app)}");

            var (status, error) = await GetAsync(probe.Port, probe.Path, cancellationToken);
            if (status == HttpStatusCode.OK)
                return new SmokeCheck(name, true, $"200 after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            if (status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return new SmokeCheck(name, false,
                    $"the chart's {probe.Kind} path {probe.Path} ({probe.PathField}) answered {(int)status} on port {probe.Port}: the app does not serve that path{Log(app)}");
            }

            if (status is not null)
            {
                lastStatus = status;
            }
            else
            {
                lastError = error;
                var elsewhere = app.ListeningPorts();
                if (elsewhere.Count > 0 && !elsewhere.Contains(probe.Port))
                {
                    listeningElsewhereSince ??= DateTime.UtcNow;
                    if (DateTime.UtcNow - listeningElsewhereSince > WrongPortGrace)
                        return new SmokeCheck(name, false, RefusedMessage(app, probe, elsewhere));
                }
            }

            if (DateTime.UtcNow - started > ReadyTimeout)
            {
                var listening = app.ListeningPorts();
                var what = lastStatus is { } code
                    ? $"{probe.Path} on port {probe.Port} answered {(int)code} {code} for {ReadyTimeout.TotalSeconds:0} s, never 200 (the chart's {probe.Kind}, {probe.PathField})"
                    : listening.Count > 0 && !listening.Contains(probe.Port)
                        ? RefusedMessage(app, probe, listening)
                        : $"nothing answered on port {probe.Port} ({probe.PortField}) within {ReadyTimeout.TotalSeconds:0} s ({lastError}); the app {(listening.Count == 0 ? "listens on no TCP port yet" : $"listens on {string.Join(", ", listening)}")}";
                return new SmokeCheck(name, false, what + Log(app));
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static string RefusedMessage(ISmokeTarget app, HttpProbeSpec probe, IReadOnlyList<int> listening) =>
        $"the chart's {probe.Kind} port {probe.Port}{(probe.PortAsWritten == probe.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ? string.Empty : $" ('{probe.PortAsWritten}')")} " +
        $"({probe.PortField}) refused connections: the app listens on {string.Join(", ", listening)}{Log(app)}";

    private async Task<SmokeCheck> ProbeOnceAsync(ISmokeTarget app, HttpProbeSpec probe, CancellationToken cancellationToken)
    {
        var name = $"{probe.Kind} GET {probe.Path} on port {probe.Port}";
        var (status, error) = await GetAsync(probe.Port, probe.Path, cancellationToken);
        if (status == HttpStatusCode.OK)
            return new SmokeCheck(name, true, "200");
        if (status is null)
        {
            var listening = app.ListeningPorts();
            return new SmokeCheck(name, false, listening.Count > 0 && !listening.Contains(probe.Port)
                ? RefusedMessage(app, probe, listening)
                : $"port {probe.Port} ({probe.PortField}) did not answer: {error}{Log(app)}");
        }

        return new SmokeCheck(name, false, $"the chart's {probe.Kind} path {probe.Path} ({probe.PathField}) answered {(int)status} on port {probe.Port}, not 200{Log(app)}");
    }

    private async Task<SmokeCheck> VersionAsync(ISmokeTarget app, RunSpec spec, SmokeExpectations expected, int port, string portWords, CancellationToken cancellationToken)
    {
        var provenance = endpoints.Provenance;
        var name = $"GET {provenance.Path}";
        var (status, error, body) = await GetBodyAsync(port, provenance.Path, cancellationToken);
        if (status != HttpStatusCode.OK)
            return new SmokeCheck(name, false, status is null ? $"{portWords} did not answer: {error}{Log(app)}" : $"answered {(int)status} on {portWords}, not 200: {Short(body)}");

        Dictionary<string, string?> fields;
        try
        {
            using var document = JsonDocument.Parse(body);
            fields = new[] { provenance.VersionField, provenance.GitShaField, provenance.ChartVersionField }.ToDictionary(
                field => field,
                field => document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);
        }
        catch (JsonException exception)
        {
            return new SmokeCheck(name, false, $"the body is not JSON ({exception.Message}): {Short(body)}");
        }

        var problems = new List<string>();
        foreach (var (field, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Equals("unknown", StringComparison.OrdinalIgnoreCase))
                problems.Add($"{field} is {(value is null ? "missing" : $"'{value}'")}");
        }

        Compare(fields[provenance.VersionField], expected.Version, provenance.VersionField, "the image was built with another version than the pipeline stamped", problems);
        Compare(fields[provenance.GitShaField], expected.GitSha, provenance.GitShaField, "the image was built from another commit than the pipeline stamped", problems);
        if (fields[provenance.ChartVersionField] is { } chartVersion && !string.IsNullOrWhiteSpace(chartVersion) && chartVersion != expected.ChartVersion)
            problems.Add(ChartVersionProblem(spec, provenance, chartVersion, expected.ChartVersion));

        var reported = string.Join(", ", fields.Select(pair => $"{pair.Key}={pair.Value ?? "(missing)"}"));
        return problems.Count == 0
            ? new SmokeCheck(name, true, reported)
            : new SmokeCheck(name, false, string.Join("; ", problems) + $" (it answered {reported})");
    }

    private void Compare(string? actual, string expected, string field, string meaning, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(actual) && actual != expected && !actual.Equals("unknown", StringComparison.OrdinalIgnoreCase))
            problems.Add($"{endpoints.Provenance.Path} {field} is '{actual}' but the pipeline stamped '{expected}': {meaning}");
    }

    /// <summary>Which env of the chart carries the chart version, and so which name the app did not read.</summary>
    private static string ChartVersionProblem(RunSpec spec, ProvenanceEndpoint provenance, string actual, string expected)
    {
        var reported = $"{provenance.Path} {provenance.ChartVersionField}";
        var carriers = spec.EffectiveEnvironment.Values.Where(setting => setting.Value == expected).ToList();
        if (carriers.Count == 0)
        {
            return $"{reported} is '{actual}' but the chart version is '{expected}', and no env of the chart " +
                $"({spec.ContainerField}.env/envFrom) carries '{expected}': the chart does not pass its version to the app";
        }

        var named = string.Join(", ", carriers.Select(setting => $"{setting.Name}={setting.Value} (env {setting.Name}, {setting.Source})"));
        return $"{reported} is '{actual}' but the chart sets {named}: the app does not read {(carriers.Count == 1 ? "that env name" : "those env names")}";
    }

    private async Task<SmokeCheck> ProtectedAsync(ISmokeTarget app, string path, int port, string portWords, CancellationToken cancellationToken)
    {
        var name = $"GET {path} without credentials";
        var (status, error) = await GetAsync(port, path, cancellationToken);
        return status switch
        {
            HttpStatusCode.Unauthorized => new SmokeCheck(name, true, "401"),
            null => new SmokeCheck(name, false, $"{portWords} did not answer: {error}{Log(app)}"),
            { } code when (int)code < 300 => new SmokeCheck(name, false, $"answered {(int)code} to a request without credentials: the protected endpoint is open (a release blocker)"),
            { } code => new SmokeCheck(name, false, $"answered {(int)code} {code}, not 401, to a request without credentials"),
        };
    }

    private async Task<(HttpStatusCode? Status, string? Error)> GetAsync(int port, string path, CancellationToken cancellationToken)
    {
        var (status, error, _) = await GetBodyAsync(port, path, cancellationToken);
        return (status, error);
    }

    private async Task<(HttpStatusCode? Status, string? Error, string Body)> GetBodyAsync(int port, string path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"), timeout.Token);
            return (response.StatusCode, null, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (HttpRequestException exception)
        {
            return (null, exception.Message, string.Empty);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {RequestTimeout.TotalSeconds:0} s", string.Empty);
        }
    }

    private static string Log(ISmokeTarget app)
    {
        var tail = app.OutputTail(LogLines);
        return tail.Count == 0
            ? " (its log is empty)"
            : $" (its log:{Environment.NewLine}    {string.Join(Environment.NewLine + "    ", tail)})";
    }

    private static string Short(string body)
    {
        var text = body.Trim().ReplaceLineEndings(" ");
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
