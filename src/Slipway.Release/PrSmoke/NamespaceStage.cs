using System.Globalization;
using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>The labels and annotation that mark a namespace as the lane's: what the janitor selects on, and nothing else.</summary>
public static class PrSmokeLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "slipway";
    public const string PullRequest = "slipway.dev/pull-request";
    public const string Sha = "slipway.dev/sha";
    public const string RunId = "slipway.dev/run-id";
    public const string ExpiresAt = "slipway.dev/expires-at";

    public const string Selector = ManagedBy + "=" + ManagedByValue;

    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}

/// <summary>
/// Creates the run's namespace, labelled and annotated in the same API call (a namespace is never unlabelled, not even
/// for a moment the janitor could see), after the state file names it so that a kill right after still gets it torn down.
/// </summary>
public sealed class NamespaceStage(IKubectlCli kubectl, PrSmokeStateStore store, IBuildLog log, TimeProvider time)
{
    public async Task<string> CreateAsync(PrSmokeState state, int? pullRequest, string shortSha, long? runId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expires = time.GetUtcNow() + ttl;
        var labels = new Dictionary<string, string>
        {
            [PrSmokeLabels.ManagedBy] = PrSmokeLabels.ManagedByValue,
            [PrSmokeLabels.Sha] = shortSha,
        };
        if (pullRequest is { } number)
            labels[PrSmokeLabels.PullRequest] = number.ToString(CultureInfo.InvariantCulture);
        if (runId is { } run)
            labels[PrSmokeLabels.RunId] = run.ToString(CultureInfo.InvariantCulture);

        store.Save(state);
        var manifest = JsonSerializer.Serialize(new
        {
            apiVersion = "v1",
            kind = "Namespace",
            metadata = new
            {
                name = state.Namespace,
                labels,
                annotations = new Dictionary<string, string> { [PrSmokeLabels.ExpiresAt] = PrSmokeLabels.FormatTime(expires) },
            },
        });
        try
        {
            await kubectl.CreateAsync(manifest, cancellationToken);
        }
        catch (KubectlException error) when (error.IsForbidden)
        {
            throw new PrSmokeException(
                $"The cluster refused to create namespace {state.Namespace}: {error.Message} Next step: use credentials allowed to create namespaces, or run with --cluster kind.", error);
        }

        var shown = string.Join(", ", labels.Select(label => $"{label.Key}={label.Value}"));
        log.Info($"Namespace {state.Namespace} created ({shown}; expires {PrSmokeLabels.FormatTime(expires)})");
        return $"{state.Namespace} ({shown}), expires {PrSmokeLabels.FormatTime(expires)}";
    }
}
