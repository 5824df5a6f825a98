using System.Text.RegularExpressions;
using Slipway.Release.Oci;
using Slipway.Release.Versioning;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// Every value of a PR smoke result against the contract, for the writer (a bug in the lane) and the reader (a file from
/// an untrusted run) alike. The first broken rule is reported with the field's JSON path.
/// </summary>
public static partial class PrSmokeResultRules
{
    /// <exception cref="PrSmokeResultException">A value breaks the contract; the message names <paramref name="source"/> and the field.</exception>
    public static void Check(PrSmokeResult result, string source)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problem = FirstProblem(result);
        if (problem is not null)
            throw new PrSmokeResultException($"{source}: {problem}");
    }

    private static string? FirstProblem(PrSmokeResult result) =>
        Optional(result.Repository, "repository", value => RepositoryPattern().IsMatch(value) ? null : "must be owner/name as GitHub spells it")
        ?? (result.PullRequest is <= 0 ? $"pullRequest: {result.PullRequest} is not a pull request number (1 or more, or null for a local run)" : null)
        ?? Required(result.HeadSha, "headSha", value => ShaPattern().IsMatch(value) ? null : "must be a commit sha: 40 lowercase hex digits")
        ?? Required(result.Version, "version", value => value.Length <= 128 && SemanticVersion.TryParse(value, out _) ? null : "must be a strict SemVer 2 version")
        ?? RunProblem(result)
        ?? ImageProblem(result.Image)
        ?? ClusterProblem(result.Cluster)
        ?? Optional(result.Namespace, "namespace", value => value.Length <= 63 && DnsLabelPattern().IsMatch(value) ? null : "must be a DNS-1123 label of at most 63 characters")
        ?? Optional(result.ReleaseName, "releaseName", value => value.Length <= 53 && ReleaseNamePattern().IsMatch(value) ? null : "must be a helm release name of at most 53 characters")
        ?? StepsProblem(result.Steps)
        ?? ChecksProblem(result.SmokeChecks)
        ?? DiagnosticsProblem(result.Diagnostics)
        ?? (result.FinishedAt < result.StartedAt ? "finishedAt is before startedAt" : null)
        ?? ConsistencyProblem(result);

    private static string? RunProblem(PrSmokeResult result)
    {
        if (result.Run is not { } run)
            return null;
        if (result.Repository is null)
            return "run: a run needs the repository it ran in (repository is null)";
        if (run.Id <= 0)
            return $"run.id: {run.Id} is not a run id (1 or more)";
        if (run.Attempt is <= 0 or > 10_000)
            return $"run.attempt: {run.Attempt} is not a run attempt (1 or more)";
        return Required(run.Url, "run.url", url =>
        {
            var match = RunUrlPattern().Match(url);
            return url.Length <= PrSmokeLimits.Url && match.Success
                   && string.Equals(match.Groups["repository"].Value, result.Repository, StringComparison.OrdinalIgnoreCase)
                   && match.Groups["id"].Value == run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ? null
                : $"must be the run's page, https://<server>/{result.Repository}/actions/runs/{run.Id}";
        });
    }

    private static string? ImageProblem(PrSmokeImage? image) =>
        image is null
            ? null
            : Required(image.Reference, "image.reference", value => value.Length <= PrSmokeLimits.Name && !value.Any(char.IsWhiteSpace) && OciReference.TryParse(value, out _, out _) ? null : "must be an image reference host[:port]/repository[:tag][@digest]")
              ?? Required(image.Digest, "image.digest", value => DigestPattern().IsMatch(value) ? null : "must be sha256: and 64 lowercase hex digits");

    private static string? ClusterProblem(PrSmokeCluster? cluster) =>
        cluster is null
            ? null
            : Required(cluster.Context, "cluster.context", value => Line(value, PrSmokeLimits.Name))
              ?? Optional(cluster.ServerVersion, "cluster.serverVersion", value => value.Length <= 64 && ServerVersionPattern().IsMatch(value) ? null : "must be a Kubernetes version such as v1.31.2");

    private static string? StepsProblem(IReadOnlyList<PrSmokeStep>? steps)
    {
        if (steps is null)
            return "steps must not be null";
        var expected = Enum.GetValues<PrSmokeStepName>();
        if (steps.Count != expected.Length || !steps.Select(step => step.Name).SequenceEqual(expected))
            return $"steps must list {StrictEnumConverter<PrSmokeStepName>.Allowed} once each in that order (a step not reached is skipped), got [{string.Join(", ", steps.Select(step => StrictEnumConverter<PrSmokeStepName>.NameOf(step.Name)))}]";
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            if (step.Duration < TimeSpan.Zero || step.Duration > PrSmokeLimits.MaxDuration)
                return $"steps[{index}].durationMs: must be from 0 to {(long)PrSmokeLimits.MaxDuration.TotalMilliseconds}";
            if (Text(step.Detail, $"steps[{index}].detail", PrSmokeLimits.Detail) is { } problem)
                return problem;
        }

        return null;
    }

    private static string? ChecksProblem(IReadOnlyList<PrSmokeCheck>? checks)
    {
        if (checks is null)
            return "smokeChecks must not be null";
        if (checks.Count > PrSmokeLimits.SmokeChecks)
            return $"smokeChecks: {checks.Count} checks, at most {PrSmokeLimits.SmokeChecks}";
        for (var index = 0; index < checks.Count; index++)
        {
            var problem = Required(checks[index].Name, $"smokeChecks[{index}].name", value => value.Length == 0 ? "must not be empty" : Line(value, PrSmokeLimits.Name))
                          ?? Text(checks[index].Detail, $"smokeChecks[{index}].detail", PrSmokeLimits.Detail);
            if (problem is not null)
                return problem;
        }

        return null;
    }

    private static string? DiagnosticsProblem(PrSmokeDiagnostics? diagnostics) =>
        diagnostics is null
            ? null
            : Required(diagnostics.Location, "diagnostics.location", value =>
                  value.Length <= PrSmokeLimits.Name && RelativePathPattern().IsMatch(value) && !value.Split('/').Contains("..")
                      ? null
                      : "must be a relative path of letters, digits, '.', '_', '-' and '/' (no '..')")
              ?? Text(diagnostics.Summary, "diagnostics.summary", PrSmokeLimits.DiagnosticsSummary);

    /// <summary>A result that says passed cannot carry a failed step or a failed check.</summary>
    private static string? ConsistencyProblem(PrSmokeResult result)
    {
        if (result.Status != PrSmokeStatus.Passed)
            return null;
        var failedStep = result.Steps.FirstOrDefault(step => step.Status is PrSmokeStepStatus.Failed or PrSmokeStepStatus.Cancelled);
        if (failedStep is not null)
            return $"status: passed, but step {StrictEnumConverter<PrSmokeStepName>.NameOf(failedStep.Name)} is {StrictEnumConverter<PrSmokeStepStatus>.NameOf(failedStep.Status)}";
        var failedCheck = result.SmokeChecks.FirstOrDefault(check => !check.Passed);
        return failedCheck is null ? null : $"status: passed, but smoke check '{failedCheck.Name}' failed";
    }

    private static string? Required(string? value, string field, Func<string, string?> rule) =>
        value is null ? $"{field} must not be null" : rule(value) is { } problem ? $"{field}: {problem}" : null;

    private static string? Optional(string? value, string field, Func<string, string?> rule) =>
        value is null ? null : Required(value, field, rule);

    private static string? Text(string? value, string field, int maxLength) =>
        Required(value, field, text => text.Length > maxLength
            ? $"{text.Length} characters, at most {maxLength}"
            : text.All(PrSmokeText.IsAllowed) ? null : "holds a control or bidirectional-override character");

    private static string? Line(string value, int maxLength) =>
        value.Length > maxLength
            ? $"{value.Length} characters, at most {maxLength}"
            : value.All(character => character is not ('\n' or '\t') && PrSmokeText.IsAllowed(character)) ? null : "must be one line without control characters";

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex ShaPattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^https://[A-Za-z0-9.-]+(?::\d{1,5})?/(?<repository>[^/]+/[^/]+)/actions/runs/(?<id>\d+)(?:/attempts/\d+)?$")]
    private static partial Regex RunUrlPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ReleaseNamePattern();

    [GeneratedRegex(@"^v\d+\.\d+\.\d+[0-9A-Za-z.+-]*$")]
    private static partial Regex ServerVersionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?$")]
    private static partial Regex RelativePathPattern();
}
