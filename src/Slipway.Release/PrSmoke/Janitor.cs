using System.Globalization;
using k8s;
using k8s.Models;
using Slipway.Logging;
using Slipway.Release.GitHub;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>What the janitor did, or in a dry run would have done, with each namespace it looked at.</summary>
public sealed record JanitorReport(IReadOnlyList<string> Deleted, IReadOnlyList<string> Kept);

/// <summary>
/// Deletes the lane's namespaces that outlived their run: those labelled managed-by slipway whose expiry annotation has
/// passed, and, when GitHub can be asked (<paramref name="pullRequests"/> not null), those of pull requests that are closed. Only namespaces the label selector returns are
/// looked at, and the label is checked again on each, so an unlabelled namespace is never touched; one without a
/// readable expiry is kept and reported. A dry run says what it would delete and deletes nothing.
/// </summary>
public sealed class Janitor(IKubectlCli kubectl, IPullRequestStates? pullRequests, IBuildLog log, TimeProvider time)
{
    public async Task<JanitorReport> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var listed = KubernetesJson.Deserialize<V1NamespaceList>(await kubectl.GetJsonAsync("namespaces", null, null, PrSmokeLabels.Selector, cancellationToken) ?? """{"items":[]}""");
        var now = time.GetUtcNow();
        var deleted = new List<string>();
        var kept = new List<string>();
        foreach (var item in listed.Items ?? [])
        {
            var name = item.Metadata.Name;
            var labels = item.Metadata.Labels ?? new Dictionary<string, string>();
            if (!labels.TryGetValue(PrSmokeLabels.ManagedBy, out var managedBy) || managedBy != PrSmokeLabels.ManagedByValue)
            {
                kept.Add($"{name}: not labelled {PrSmokeLabels.Selector}, never touched");
                continue;
            }

            if (item.Status?.Phase == "Terminating")
            {
                kept.Add($"{name}: already terminating");
                continue;
            }

            var reason = await ReasonToDeleteAsync(item, labels, now, cancellationToken);
            if (reason.Delete is null)
            {
                kept.Add($"{name}: {reason.Keep}");
                continue;
            }

            if (!dryRun)
                await kubectl.DeleteNamespaceAsync(name, cancellationToken);
            deleted.Add($"{name}: {reason.Delete}");
        }

        foreach (var line in deleted)
            log.Info($"{(dryRun ? "would delete" : "deleted")} {line}");
        foreach (var line in kept)
            log.Info($"kept {line}");
        log.Info($"Janitor{(dryRun ? " (dry run: nothing deleted; pass --dry-run false to delete)" : string.Empty)}: {deleted.Count} {(dryRun ? "to delete" : "deleted")}, {kept.Count} kept, of {(listed.Items ?? []).Count} namespaces labelled {PrSmokeLabels.Selector}");
        return new JanitorReport(deleted, kept);
    }

    private async Task<(string? Delete, string Keep)> ReasonToDeleteAsync(V1Namespace item, IDictionary<string, string> labels, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var annotations = item.Metadata.Annotations ?? new Dictionary<string, string>();
        var expires = DateTimeOffset.MinValue;
        var hasExpiry = annotations.TryGetValue(PrSmokeLabels.ExpiresAt, out var text) && PrSmokeLabels.TryParseTime(text, out expires);
        if (hasExpiry && expires <= now)
            return ($"expired {Ago(now - expires)} ago ({text})", string.Empty);

        if (labels.TryGetValue(PrSmokeLabels.PullRequest, out var number) && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var pullRequest)
            && pullRequests is not null && await pullRequests.StateAsync(pullRequest, cancellationToken) == PullRequestState.Closed)
            return ($"pull request #{pullRequest} is closed", string.Empty);

        return (null, hasExpiry ? $"expires in {Ago(expires - now)} ({text})" : $"no readable {PrSmokeLabels.ExpiresAt} annotation (got '{text ?? "none"}'): left alone");
    }

    private static string Ago(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";
}
