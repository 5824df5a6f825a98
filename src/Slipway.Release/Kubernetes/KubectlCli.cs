using System.Globalization;
using System.Text.Json;
using Slipway.Processes;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Kubernetes;

/// <summary>kubectl through the process runner, bound to one cluster; every API call carries a request timeout.</summary>
public sealed class KubectlCli(ResolvedTool kubectl, IProcessRunner runner, SecretRegistry secrets, KubeConnection connection) : IKubectlCli
{
    private const string RequestTimeout = "--request-timeout=15s";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public KubeConnection Connection => connection;

    public IKubectlCli WithConnection(KubeConnection other) => new KubectlCli(kubectl, runner, secrets, other);

    public async Task<string?> CurrentContextAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["config", "current-context"], cancellationToken, quiet: true);
        if (result.Succeeded)
            return result.StandardOutput.Trim() is { Length: > 0 } context ? context : null;
        return result.StandardError.Contains("current-context is not set", StringComparison.Ordinal) ? null : throw Failure("config current-context", result);
    }

    public async Task<string?> ServerAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"], cancellationToken, quiet: true);
        return result.Succeeded && result.StandardOutput.Trim() is { Length: > 0 } server ? server : null;
    }

    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["version", "-o", "json", RequestTimeout], cancellationToken, quiet: true);
        if (!result.Succeeded)
            throw Failure("version", result);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.TryGetProperty("serverVersion", out var server) && server.TryGetProperty("gitVersion", out var version) && version.GetString() is { Length: > 0 } text
            ? text
            : throw new KubectlException("kubectl version printed no serverVersion: the server did not answer.", result.ExitCode, result.StandardError);
    }

    public async Task<CanIAnswer> CanIAsync(string verb, string resource, CancellationToken cancellationToken)
    {
        // Exit 0 with "yes", exit 1 with "no" (and sometimes a reason); anything else on stderr is a failure to ask.
        var result = await RunAsync(["auth", "can-i", verb, resource, RequestTimeout], cancellationToken, quiet: true);
        var answer = result.StandardOutput.Trim();
        if (result.Succeeded && answer.StartsWith("yes", StringComparison.Ordinal))
            return new CanIAnswer(true, answer);
        if (answer.StartsWith("no", StringComparison.Ordinal))
            return new CanIAnswer(false, answer);
        throw Failure($"auth can-i {verb} {resource}", result);
    }

    public async Task CreateAsync(string objectJson, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["create", "-f", "-", RequestTimeout], cancellationToken, standardInput: objectJson);
        if (!result.Succeeded)
            throw Failure("create", result);
    }

    public async Task<string?> GetJsonAsync(string resource, string? name, string? inNamespace, string? selector, CancellationToken cancellationToken)
    {
        List<string> arguments = ["get", resource];
        if (name is not null)
            arguments.Add(name);
        arguments.AddRange(Namespace(inNamespace));
        if (selector is not null)
            arguments.AddRange(["-l", selector]);
        arguments.AddRange(["-o", "json", RequestTimeout]);
        var result = await RunAsync(arguments, cancellationToken, quiet: true);
        if (result.Succeeded)
            return result.StandardOutput;
        return name is not null && result.StandardError.Contains("(NotFound)", StringComparison.Ordinal) ? null : throw Failure($"get {resource}", result);
    }

    public Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken) =>
        RunCheckedAsync(["delete", "namespace", name, "--wait=false", "--ignore-not-found", RequestTimeout], $"delete namespace {name}", cancellationToken);

    public Task ForceDeletePodsAsync(string inNamespace, CancellationToken cancellationToken) =>
        RunCheckedAsync(["delete", "pods", "--all", "-n", inNamespace, "--force", "--grace-period=0", "--wait=false", "--ignore-not-found", RequestTimeout], $"delete pods -n {inNamespace}", cancellationToken);

    public Task PatchNamespaceFinalizersAsync(string name, CancellationToken cancellationToken) =>
        RunIgnoringNotFoundAsync(["patch", "namespace", name, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""", RequestTimeout], $"patch namespace {name}", null, cancellationToken);

    public Task FinalizeNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            apiVersion = "v1",
            kind = "Namespace",
            metadata = new { name },
            spec = new { finalizers = Array.Empty<string>() },
        });
        return RunIgnoringNotFoundAsync(["replace", "--raw", $"/api/v1/namespaces/{name}/finalize", "-f", "-", RequestTimeout], $"finalize namespace {name}", body, cancellationToken);
    }

    public async Task<string> DescribeAsync(string resource, string name, string inNamespace, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["describe", resource, name, .. Namespace(inNamespace), RequestTimeout], cancellationToken, quiet: true);
        return result.Succeeded ? result.StandardOutput : throw Failure($"describe {resource} {name}", result);
    }

    public async Task<string> LogsAsync(string inNamespace, string pod, string container, bool previous, int limitBytes, CancellationToken cancellationToken)
    {
        List<string> arguments = ["logs", pod, "-c", container, .. Namespace(inNamespace), $"--limit-bytes={limitBytes.ToString(CultureInfo.InvariantCulture)}", RequestTimeout];
        if (previous)
            arguments.Add("--previous");
        var result = await RunAsync(arguments, cancellationToken, quiet: true);
        return result.Succeeded ? result.StandardOutput : throw Failure($"logs {pod} -c {container}", result);
    }

    public Task<ToolResult> PortForwardAsync(string inNamespace, string target, IReadOnlyList<PortMapping> ports, CancellationToken lifetime)
    {
        List<string> arguments = ["port-forward", target, .. ports.Select(port => $"{port.Local.ToString(CultureInfo.InvariantCulture)}:{port.Remote.ToString(CultureInfo.InvariantCulture)}"), .. Namespace(inNamespace), "--address", "127.0.0.1"];
        // No timeout: it runs until it drops or the caller stops it. Its "Handling connection" lines are not worth a log line each.
        return runner.RunAsync(Command(arguments) with { Timeout = null, StreamOutput = false, ThrowOnFailure = false }, lifetime);
    }

    private async Task RunCheckedAsync(IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken);
        if (!result.Succeeded)
            throw Failure(what, result);
    }

    private async Task RunIgnoringNotFoundAsync(IReadOnlyList<string> arguments, string what, string? standardInput, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken, standardInput: standardInput);
        if (!result.Succeeded && !result.StandardError.Contains("(NotFound)", StringComparison.Ordinal))
            throw Failure(what, result);
    }

    private Task<ToolResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool quiet = false, string? standardInput = null) =>
        runner.RunAsync(Command(arguments) with { StreamOutput = !quiet, StandardInput = standardInput }, cancellationToken);

    private ToolCommand Command(IReadOnlyList<string> arguments) =>
        new(kubectl.Path, [.. arguments, .. connection.KubectlArguments]) { ThrowOnFailure = false, Timeout = CommandTimeout };

    private static string[] Namespace(string? inNamespace) => inNamespace is null ? [] : ["-n", inNamespace];

    private KubectlException Failure(string what, ToolResult result)
    {
        var said = (string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError).Trim();
        // kubectl's client-side throttling and discovery warnings (E1201 ... memcache.go) are noise next to the real error line.
        var lines = said.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0 && !IsKlogLine(line)).ToList();
        var text = secrets.Redact(string.Join('\n', lines.Count > 0 ? lines : [said]));
        return new KubectlException($"kubectl {what} failed (exit {result.ExitCode}, {connection}): {text}", result.ExitCode, result.StandardError);
    }

    /// <summary>klog lines look like <c>E1201 09:16:52.959140    8992 memcache.go:265] ...</c>.</summary>
    private static bool IsKlogLine(string line) =>
        line.Length > 22 && line[0] is 'E' or 'W' or 'I' && char.IsDigit(line[1]) && line.Contains(".go:", StringComparison.Ordinal);
}
