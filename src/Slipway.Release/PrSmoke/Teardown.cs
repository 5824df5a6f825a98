using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.Tools;

namespace Slipway.Release.PrSmoke;

/// <summary>How long a teardown may take beyond its fast deletes, and when it escalates.</summary>
/// <param name="WaitForNamespace">How long to watch the namespace go after the delete was accepted; zero: not at all.</param>
/// <param name="EscalateAfter">How long it may stay Terminating before its pods are force-deleted and then its finalizers removed.</param>
/// <param name="HookTimeout">What helm uninstall's hooks get.</param>
public sealed record TeardownPolicy(TimeSpan WaitForNamespace, TimeSpan EscalateAfter, TimeSpan HookTimeout)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>For a run that ended by itself, and for PrSmokeTeardown: time enough to see the namespace gone, escalating as chart-testing does.</summary>
    public static TeardownPolicy Thorough { get; } = new(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(1));

    /// <summary>
    /// After SIGINT or SIGTERM, inside the runner's grace period: the deletes that do not wait, then only what
    /// <paramref name="remaining"/> leaves (a namespace still Terminating then is left to PrSmokeTeardown).
    /// </summary>
    public static TeardownPolicy Fast(TimeSpan remaining) =>
        new(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)) { PollInterval = TimeSpan.FromMilliseconds(250) };
}

/// <summary>How a teardown went: done when everything the state names is confirmed gone (then its state file can go too).</summary>
public sealed record TeardownReport(bool Complete, bool Failed, string Detail);

/// <summary>
/// Removes what a run's state names, idempotently (NotFound is done), fast deletes first: helm uninstall (not waiting
/// for resources), the namespace delete (--wait=false), the kind cluster when the run created it. Then, as the policy
/// allows, it watches the namespace go; one stuck Terminating gets its pods force-deleted, then its finalizers removed.
/// A step that fails does not stop the next.
/// </summary>
public sealed class Teardown(IKubectlCli kubectl, IHelmReleases helm, Func<CancellationToken, Task<IKindCli>>? kind, IBuildLog log, TimeProvider time)
{
    public async Task<TeardownReport> RunAsync(PrSmokeState state, TeardownPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        var done = new List<string>();
        var failed = new List<string>();
        var bound = kubectl.WithConnection(state.Connection);

        if (state.Release is { } release)
            await StepAsync($"helm uninstall {release}", () => helm.UninstallAsync(release, state.Namespace, state.Connection, policy.HookTimeout, cancellationToken), done, failed);
        var deleteAccepted = await StepAsync($"namespace {state.Namespace} delete requested", () => bound.DeleteNamespaceAsync(state.Namespace, cancellationToken), done, failed);

        if (state.KindCluster is { } cluster)
        {
            // Deleting the cluster takes everything in it along: nothing left to watch.
            var deleted = kind is not null && await StepAsync($"kind cluster {cluster} deleted", async () => await (await kind(cancellationToken)).DeleteClusterAsync(cluster, state.Connection.Kubeconfig ?? string.Empty, cancellationToken), done, failed);
            if (kind is null)
                failed.Add($"kind cluster {cluster}: no kind to delete it with");
            return Report(deleted && failed.Count == 0, done, failed);
        }

        var gone = deleteAccepted && await WatchAsync(bound, state.Namespace, policy, done, failed, cancellationToken);
        return Report(gone && failed.Count == 0, done, failed);
    }

    /// <summary>Polls the namespace until it is gone or the policy's wait is over, escalating once it has been Terminating too long.</summary>
    private async Task<bool> WatchAsync(IKubectlCli bound, string name, TeardownPolicy policy, List<string> done, List<string> failed, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var escalation = 0;
        while (true)
        {
            string? json;
            try
            {
                json = await bound.GetJsonAsync("namespace", name, null, null, cancellationToken);
            }
            catch (Exception error) when (error is KubectlException or OperationCanceledException)
            {
                failed.Add($"namespace {name}: could not be watched ({error.Message})");
                return false;
            }

            var elapsed = time.GetElapsedTime(started);
            if (json is null)
            {
                log.Info($"namespace {name} gone after {elapsed.TotalSeconds:0.0} s");
                done.Add($"namespace {name} gone after {elapsed.TotalSeconds:0.0} s");
                return true;
            }

            if (elapsed >= policy.WaitForNamespace)
            {
                log.Warning($"namespace {name} still {Phase(json)} after {elapsed.TotalSeconds:0.0} s: left to PrSmokeTeardown");
                done.Add($"namespace {name} still {Phase(json)} after {elapsed.TotalSeconds:0.0} s: left to PrSmokeTeardown");
                return false;
            }

            if (elapsed >= policy.EscalateAfter * (escalation + 1) && escalation < 2)
            {
                escalation++;
                if (escalation == 1)
                {
                    log.Warning($"Namespace {name} is still {Phase(json)} after {elapsed.TotalSeconds:0} s: force-deleting its pods.");
                    await StepAsync($"pods of {name} force-deleted", () => bound.ForceDeletePodsAsync(name, cancellationToken), done, failed);
                }
                else
                {
                    log.Warning($"Namespace {name} is still {Phase(json)} after {elapsed.TotalSeconds:0} s: removing its finalizers.");
                    await StepAsync($"finalizers of {name} removed", async () =>
                    {
                        await bound.PatchNamespaceFinalizersAsync(name, cancellationToken);
                        await bound.FinalizeNamespaceAsync(name, cancellationToken);
                    }, done, failed);
                }
            }

            try
            {
                await Task.Delay(policy.PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                done.Add($"namespace {name} still {Phase(json)}: the time for the teardown ran out, left to PrSmokeTeardown");
                return false;
            }
        }
    }

    private async Task<bool> StepAsync(string what, Func<Task> step, List<string> done, List<string> failed)
    {
        try
        {
            await step();
            log.Info(what);
            done.Add(what);
            return true;
        }
        catch (Exception error) when (error is KubectlException or HelmException or KindException or ToolProvisioningException or OperationCanceledException)
        {
            log.Error($"{what}: failed: {error.Message}");
            failed.Add($"{what}: failed ({error.Message})");
            return false;
        }
    }

    private static TeardownReport Report(bool complete, List<string> done, List<string> failed) =>
        new(complete, failed.Count > 0, string.Join("; ", done.Concat(failed)));

    private static string Phase(string namespaceJson)
    {
        using var document = JsonDocument.Parse(namespaceJson);
        return document.RootElement.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) ? phase.GetString() ?? "present" : "present";
    }
}
