using System.Net;
using System.Text.RegularExpressions;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Helm;

/// <summary>
/// The helm commands a release needs, run through the process runner. Aware of the helm version it drives, and run
/// with its own config, cache and data homes under <paramref name="stateDirectory"/>, so neither the user's repositories
/// and registry logins leak in nor do ours leak out. The registry verbs run under the shared retry policy (<paramref name="retry"/>),
/// read from helm's words: pull, push (its digest is read back by the caller) and login are idempotent, and only a transient
/// fault (a 5xx, a reset, a timeout) is retried; helm's other failures fail at once.
/// </summary>
/// <param name="registryConfigDirectory">
/// Where <c>helm registry login</c> stores the credentials (<c>config.json</c>, base64 of user:password): a folder of the
/// run's temp root, never the state directory, so no login outlives the run; default: the state directory's config home.
/// </param>
/// <param name="retry">The build's registry retry policy; null: every call is tried once.</param>
public sealed partial class HelmCli(
    ResolvedTool helm, IProcessRunner runner, SecretRegistry secrets, string stateDirectory, string? registryConfigDirectory = null, RegistryRetry? retry = null)
    : IHelmRegistryClient
{
    private readonly string _registryConfigDirectory = registryConfigDirectory ?? Path.Combine(stateDirectory, "config", "registry");

    /// <summary>
    /// <c>helm registry login</c> has <c>--plain-http</c> from 3.18 (push and pull from 3.13, below the supported range);
    /// 3.17 and older do not know the flag and fall back to HTTP by themselves when a registry answers HTTPS with HTTP.
    /// </summary>
    private static readonly Version LoginPlainHttpFlagSince = new(3, 18, 0);

    private static readonly TimeSpan LocalTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromMinutes(5);

    public Version Version => helm.Version;

    public ResolvedTool Tool => helm;

    /// <summary>The same helm with other config, cache, data and registry config homes: e.g. an empty one, to pull as a stranger would.</summary>
    public HelmCli WithStateDirectory(string directory) => new(helm, runner, secrets, directory, retry: retry);

    /// <summary>Lints the chart with the given values files merged (later files win); a CI case is one call.</summary>
    public async Task<string> LintAsync(string chartDirectory, IReadOnlyList<string> valuesFiles, bool strict, CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["lint", chartDirectory];
        if (strict)
            arguments.Add("--strict");
        foreach (var values in valuesFiles)
            arguments.AddRange(["--values", values]);
        // Lint reports its findings on stdout ("[ERROR] ..."), so a failure must carry stdout as well; a pass is the caller's one line.
        var result = await RunAsync(arguments, LocalTimeout, stream: false, stdoutExplainsFailure: true, cancellationToken);
        return result.StandardOutput;
    }

    /// <summary>Renders the chart and returns the manifests as one multi-document YAML string.</summary>
    public async Task<string> TemplateAsync(
        string chartDirectory, string releaseName, string? valuesFile = null, string? kubeVersion = null, CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["template", releaseName, chartDirectory];
        if (valuesFile is not null)
            arguments.AddRange(["--values", valuesFile]);
        if (kubeVersion is not null)
            arguments.AddRange(["--kube-version", kubeVersion]);
        var result = await RunAsync(arguments, LocalTimeout, stream: false, stdoutExplainsFailure: false, cancellationToken);
        return result.StandardOutput;
    }

    /// <summary>Packages the chart into <paramref name="destinationDirectory"/> and returns the .tgz path.</summary>
    public async Task<string> PackageAsync(string chartDirectory, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["package", chartDirectory, "--destination", destinationDirectory], LocalTimeout, stream: true, stdoutExplainsFailure: false, cancellationToken);
        var saved = PackagedPattern().Match(result.StandardOutput);
        if (!saved.Success)
            throw new HelmException($"helm package succeeded but did not say where it saved the chart: {secrets.Redact(result.StandardOutput)}", 0);
        return saved.Groups["path"].Value.Trim();
    }

    /// <summary>Pushes a packaged chart to an OCI repository such as <c>oci://127.0.0.1:5000/charts</c>.</summary>
    /// <param name="plainHttp">The registry speaks HTTP, not HTTPS; allowed for a loopback registry only.</param>
    public async Task<HelmPushResult> PushAsync(string chartPackage, string ociReference, bool plainHttp, CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["push", chartPackage, ociReference, .. PlainHttpArguments(ociReference, plainHttp)];
        var result = await RetriedAsync(
            $"helm push {Path.GetFileName(chartPackage)} to {ociReference}", token => RunAsync(arguments, RegistryTimeout, stream: true, stdoutExplainsFailure: false, token), cancellationToken);
        // 3.17 and 4.1 report on stderr, older helm 3 on stdout: read both.
        var report = result.StandardError + "\n" + result.StandardOutput;
        var pushed = PushedPattern().Match(report);
        var digest = DigestPattern().Match(report);
        if (!pushed.Success || !digest.Success)
            throw new HelmException($"helm push succeeded but reported no reference and digest: {secrets.Redact(report.Trim())}", 0);
        return new HelmPushResult(pushed.Groups["reference"].Value, digest.Groups["digest"].Value);
    }

    /// <summary>Logs in to a registry for later pushes, in this helm's own config; the password goes through stdin, never the command line.</summary>
    /// <param name="plainHttp">The registry speaks HTTP: loopback only.</param>
    public async Task LoginAsync(string registry, string username, string password, bool plainHttp, CancellationToken cancellationToken = default)
    {
        secrets.Register(password);
        List<string> arguments = ["registry", "login", registry, "--username", username, "--password-stdin"];
        if (plainHttp)
        {
            if (!IsLoopback($"oci://{registry}"))
                throw new ArgumentException($"Plain HTTP is only allowed to a loopback registry, not {registry}.", nameof(plainHttp));
            if (helm.Version >= LoginPlainHttpFlagSince)
                arguments.Add("--plain-http");
        }

        await RetriedAsync(
            $"helm registry login {registry}", token => RunAsync(arguments, RegistryTimeout, stream: true, stdoutExplainsFailure: true, token, standardInput: password), cancellationToken);
    }

    /// <summary>Removes the login for <paramref name="registry"/> from this helm's registry config (local: helm asks no registry).</summary>
    public async Task LogoutAsync(string registry, CancellationToken cancellationToken = default) =>
        await RunAsync(["registry", "logout", registry], LocalTimeout, stream: true, stdoutExplainsFailure: true, cancellationToken);

    /// <summary>Pulls <paramref name="chartReference"/> (e.g. <c>oci://host/charts/name</c>) at a version and returns the .tgz path.</summary>
    public async Task<string> PullAsync(
        string chartReference, string version, string destinationDirectory, bool plainHttp, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(destinationDirectory);
        List<string> arguments = ["pull", chartReference, "--version", version, "--destination", destinationDirectory, .. PlainHttpArguments(chartReference, plainHttp)];
        await RetriedAsync(
            $"helm pull {chartReference} {version}", token => RunAsync(arguments, RegistryTimeout, stream: true, stdoutExplainsFailure: false, token), cancellationToken);
        var name = chartReference.TrimEnd('/').Split('/')[^1];
        var pulled = Path.Combine(destinationDirectory, $"{name}-{version}.tgz");
        if (!File.Exists(pulled))
            throw new HelmException($"helm pull succeeded but {pulled} is missing", 0);
        return pulled;
    }

    // The PR lane adds upgrade --install here. Its --wait differs by line: helm 4's bare --wait is --wait=watcher (kstatus
    // over every object of the release, watched namespace-wide, so the identity needs list and watch there; a Failed
    // object ends the wait early, a paused Deployment is skipped), helm 3's is the older readiness poll (helm 4's
    // --wait=legacy). Pass the bare --wait (helm 4 warns on --wait=true, helm 3 rejects --wait=watcher) with
    // --wait-for-jobs and --timeout, and take the verdict from the lane's own workload check afterwards, never from how
    // helm words a timeout ("timed out waiting for the condition" in 3, "resource Kind/ns/name not ready. status: ..." in 4).

    private static string[] PlainHttpArguments(string ociReference, bool plainHttp)
    {
        if (!plainHttp)
            return [];
        // Plain HTTP sends the chart and any credentials unencrypted: acceptable to this machine only.
        if (!IsLoopback(ociReference))
            throw new ArgumentException($"Plain HTTP is only allowed to a loopback registry, not {ociReference}.", nameof(plainHttp));
        // helm 4 refuses HTTP without the flag; helm 3 would fall back to it by itself, but says nothing when it does.
        return ["--plain-http"];
    }

    private static bool IsLoopback(string ociReference)
    {
        if (!Uri.TryCreate(ociReference, UriKind.Absolute, out var uri))
            return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private Task<ToolResult> RetriedAsync(string operation, Func<CancellationToken, Task<ToolResult>> run, CancellationToken cancellationToken) =>
        retry is null ? run(cancellationToken) : retry.RunAsync(operation, run, RegistryRetry.FromToolMessages<HelmException>(), cancellationToken);

    private async Task<ToolResult> RunAsync(
        IReadOnlyList<string> arguments, TimeSpan timeout, bool stream, bool stdoutExplainsFailure, CancellationToken cancellationToken, string? standardInput = null)
    {
        var command = new ToolCommand(helm.Path, arguments)
        {
            Environment = IsolatedEnvironment(),
            Timeout = timeout,
            StreamOutput = stream,
            ThrowOnFailure = false,
            StandardInput = standardInput,
        };
        var result = await runner.RunAsync(command, cancellationToken);
        if (result.Succeeded)
            return result;

        var explanation = stdoutExplainsFailure ? result.StandardOutput.Trim() + "\n" + result.StandardError.Trim() : result.StandardError.Trim();
        throw new HelmException($"helm {arguments[0]} failed (exit {result.ExitCode}):\n{secrets.Redact(explanation.Trim())}", result.ExitCode);
    }

    private Dictionary<string, string?> IsolatedEnvironment() => new()
    {
        ["HELM_CONFIG_HOME"] = Path.Combine(stateDirectory, "config"),
        ["HELM_CACHE_HOME"] = Path.Combine(stateDirectory, "cache"),
        ["HELM_DATA_HOME"] = Path.Combine(stateDirectory, "data"),
        ["HELM_REGISTRY_CONFIG"] = Path.Combine(_registryConfigDirectory, "config.json"),
        // helm push (3.15 and later) writes the .tgz mtime as org.opencontainers.image.created in the machine's zone
        // (2026-11-20T11:00:00+01:00); in UTC the manifest digest is the same on every machine.
        ["TZ"] = "UTC",
    };

    [GeneratedRegex(@"saved it to:\s*(?<path>.+\.tgz)")]
    private static partial Regex PackagedPattern();

    [GeneratedRegex(@"^Pushed:\s*(?<reference>\S+)", RegexOptions.Multiline)]
    private static partial Regex PushedPattern();

    [GeneratedRegex(@"^Digest:\s*(?<digest>sha256:[0-9a-f]{64})", RegexOptions.Multiline)]
    private static partial Regex DigestPattern();
}
