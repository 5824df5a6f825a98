using Slipway.Workflows.Yaml;

namespace Slipway.Workflows;

/// <summary>
/// A job's concurrency group. The group written is <c>&lt;workflow&gt;.&lt;job&gt;-&lt;key&gt;</c>, so groups of different
/// jobs never collide; whether a newer run cancels the running one is said explicitly either way.
/// </summary>
public sealed class WorkflowConcurrency
{
    private WorkflowConcurrency(string key, YamlScalar cancelInProgress, string explanation)
    {
        Key = key;
        CancelInProgress = cancelInProgress;
        Explanation = explanation;
    }

    public string Key { get; }

    /// <summary>Written as a comment above the group: why runs cancel, or why they never do.</summary>
    public string Explanation { get; }

    internal YamlScalar CancelInProgress { get; }

    /// <summary>One run per pull request: a new push cancels the PR's running job. Any other event (a push to main) is never cancelled.</summary>
    public static WorkflowConcurrency PerPullRequest { get; } = new(
        "${{ github.event.pull_request.number || github.ref }}",
        YamlScalar.String("${{ github.event_name == 'pull_request' }}"),
        "A newer push to the same pull request cancels this run; runs for anything else (main, the merge queue) are never cancelled.");

    /// <summary>One at a time per key, never cancelled: a started run always finishes (publishing must never stop half way).</summary>
    /// <param name="explanation">The comment above the group, when the general one does not say why.</param>
    public static WorkflowConcurrency Queued(string key, string? explanation = null) => new(
        key,
        YamlScalar.Boolean(false),
        explanation ?? "One at a time and never cancelled: a started run always finishes.");

    /// <summary>One run per key; a newer run cancels the running one.</summary>
    public static WorkflowConcurrency Latest(string key) => new(
        key,
        YamlScalar.Boolean(true),
        "A newer run for the same key cancels this one.");
}
