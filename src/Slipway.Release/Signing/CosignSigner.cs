using System.Text.RegularExpressions;
using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Signing;

/// <summary>One thing to sign: a reference that carries a digest; <paramref name="Recursive"/> also signs every manifest of an image index.</summary>
public sealed record SignTarget(string Reference, bool Recursive = false);

public sealed record CosignOptions
{
    /// <summary>The cosign binary: a path, or a name looked up on PATH.</summary>
    public string Executable { get; init; } = "cosign";

    /// <summary>A folder with a docker <c>config.json</c> holding the registry login, passed as <c>DOCKER_CONFIG</c>.</summary>
    public string? DockerConfigDirectory { get; init; }

    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait after the first transient failure; it doubles after each further one.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How to wait between attempts; tests replace it so they do not sleep.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Signs with cosign, always by digest: keyless with the CI's OIDC identity, or with a key passed to cosign in its
/// environment (<c>env://COSIGN_PRIVATE_KEY</c>), never on its command line. Transient Sigstore or registry failures are
/// retried with exponential backoff; anything else fails at once.
/// </summary>
public sealed partial class CosignSigner(IProcessRunner runner, IBuildLog log, SecretRegistry secrets, CosignOptions? options = null)
{
    public const string ByDigestOnly = "sign by digest, never by tag";

    /// <summary>Since cosign 2.0 a loopback (plain HTTP) registry needs <c>--allow-http-registry</c> besides <c>--allow-insecure-registry</c>.</summary>
    private static readonly Version AllowHttpRegistrySince = new(2, 0, 0);

    private readonly CosignOptions _options = options ?? new CosignOptions();

    /// <summary>
    /// Signs every target by digest with <paramref name="identity"/>. Every reference is checked before anything is signed: one
    /// without a digest is refused with <see cref="ArgumentException"/>. Whether to sign at all is <see cref="SigningDecision"/>'s call.
    /// </summary>
    public async Task<SigningOutcome> SignAsync(IReadOnlyList<SignTarget> targets, SigningIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(identity);
        var references = targets.Select(target => (Target: target, Reference: ByDigest(target.Reference))).ToList();
        if (references.Count == 0)
            throw new ArgumentException("Nothing to sign: no references given.", nameof(targets));

        if (identity is SigningIdentity.Key key)
        {
            secrets.Register(key.PrivateKey);
            secrets.Register(key.Password);
        }

        Version? version;
        try
        {
            version = await DetectVersionAsync(cancellationToken);
        }
        catch (ToolFailedException exception)
        {
            log.Error(exception.Message);
            return new SigningOutcome.Failed(exception.Message);
        }

        var signed = new List<string>();
        foreach (var (target, reference) in references)
        {
            var text = $"{reference.Registry}/{reference.Repository}@{reference.Digest}";
            log.Info($"Signing {text} ({identity.Mode.ToString().ToLowerInvariant()}{(target.Recursive ? ", recursive" : string.Empty)}) with cosign {(version is null ? "of unknown version" : "v" + version.ToString(3))}");
            var failure = await SignOneAsync(CommandFor(target, reference, identity, version), text, cancellationToken);
            if (failure is not null)
            {
                var already = signed.Count == 0 ? string.Empty : $" (already signed: {string.Join(", ", signed)})";
                log.Error(failure + already);
                return new SigningOutcome.Failed(failure + already);
            }

            signed.Add(text);
        }

        return new SigningOutcome.Signed(signed, identity.Mode);
    }

    /// <summary>The version <c>cosign version</c> reports (its <c>GitVersion:</c> line), or null when it says none cosign would.</summary>
    public async Task<Version?> DetectVersionAsync(CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(
            new ToolCommand(_options.Executable, "version") { ThrowOnFailure = false, StreamOutput = false, Timeout = TimeSpan.FromMinutes(1) }, cancellationToken);
        var version = ParseVersion(result.StandardOutput + "\n" + result.StandardError);
        if (!result.Succeeded || version is null)
            log.Warning($"Could not read cosign's version (exit code {result.ExitCode}); signing as with cosign 2 or later.");
        return version;
    }

    internal static Version? ParseVersion(string output)
    {
        var match = VersionPattern().Match(output);
        return match.Success ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value)) : null;
    }

    /// <summary>
    /// Transient: a Sigstore (Fulcio, Rekor) or registry server error, a timeout, a dropped connection; not an auth or input error.
    /// Read from cosign's message as a last resort: <c>cosign sign</c> exits 1 for every failure (its distinct exit codes are
    /// for verification only) and does not expose the HTTP status it got otherwise.
    /// </summary>
    internal static bool IsTransient(string output)
    {
        var text = DigestPattern().Replace(output, string.Empty);
        if (ServerTrouble().IsMatch(text))
            return true;
        return SigstoreService().IsMatch(text) && !ClientError().IsMatch(text);
    }

    private static OciReference ByDigest(string text)
    {
        if (!OciReference.TryParse(text, out var reference, out var error))
            throw new ArgumentException($"Cannot sign '{text}': {error}", "targets");
        if (reference.Digest is null)
            throw new ArgumentException($"Refusing to sign '{text}': {ByDigestOnly}. Give it as {reference.Registry}/{reference.Repository}@sha256:<digest>.", "targets");
        return reference;
    }

    private ToolCommand CommandFor(SignTarget target, OciReference reference, SigningIdentity identity, Version? version)
    {
        List<string> arguments = ["sign", "--yes"];
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (identity is SigningIdentity.Key key)
        {
            arguments.AddRange(["--key", "env://" + SigningIdentities.PrivateKeyVariable]);
            environment[SigningIdentities.PrivateKeyVariable] = key.PrivateKey;
            // Always set, so cosign never stops to prompt for a password on a terminal.
            environment[SigningIdentities.PasswordVariable] = key.Password ?? string.Empty;
        }

        if (target.Recursive)
            arguments.Add("--recursive");
        if (OciReference.IsLoopback(reference.Registry))
        {
            arguments.Add("--allow-insecure-registry");
            if (version is null || version >= AllowHttpRegistrySince)
                arguments.Add("--allow-http-registry");
        }

        if (_options.DockerConfigDirectory is { } dockerConfig)
            environment["DOCKER_CONFIG"] = dockerConfig;
        arguments.Add($"{reference.Registry}/{reference.Repository}@{reference.Digest}");
        return new ToolCommand(_options.Executable, arguments)
        {
            Environment = environment,
            ThrowOnFailure = false,
            Timeout = _options.Timeout,
        };
    }

    /// <summary>Null when signed; else why not (already redacted).</summary>
    private async Task<string?> SignOneAsync(ToolCommand command, string reference, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, _options.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            string output;
            try
            {
                var result = await runner.RunAsync(command, cancellationToken);
                if (result.Succeeded)
                    return null;
                output = secrets.Redact(result.StandardError + "\n" + result.StandardOutput);
            }
            catch (ToolFailedException exception) when (exception.Result is not null)
            {
                // The runner's timeout: the message says so, which counts as transient.
                output = secrets.Redact(exception.Message);
            }
            catch (ToolFailedException exception)
            {
                return $"cosign could not sign {reference}: {secrets.Redact(exception.Message)}";
            }

            var tail = Tail(output);
            if (!IsTransient(output))
                return $"cosign could not sign {reference}: {tail}";
            if (attempt >= attempts)
                return $"cosign could not sign {reference} after {attempts} attempts (transient failures): {tail}";

            var delay = _options.InitialRetryDelay * Math.Pow(2, attempt - 1);
            log.Warning($"cosign sign {reference} failed transiently (attempt {attempt} of {attempts}): {tail}; retrying in {delay.TotalSeconds:0.#} s");
            await _options.Delay(delay, cancellationToken);
        }
    }

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(5));
    }

    [GeneratedRegex(@"GitVersion""?\s*[:=]\s*""?v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();

    // A 5xx status: three digits standing alone, not part of a digest, an address, a path or a version.
    [GeneratedRegex(@"(?<![\w@./-])(?<!sha256:)5\d\d(?![\w./-])|timeout|timed out|connection reset|unexpected EOF|bad gateway|service unavailable|gateway time-?out|too many requests|\b429\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex ServerTrouble();

    [GeneratedRegex("fulcio|rekor", RegexOptions.IgnoreCase)]
    private static partial Regex SigstoreService();

    [GeneratedRegex(@"\b4(?:00|01|03|04|09|22)\b|unauthori[sz]ed|forbidden|invalid|denied", RegexOptions.IgnoreCase)]
    private static partial Regex ClientError();
}
