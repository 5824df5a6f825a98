using System.Text.Json;
using k8s;
using k8s.Models;
using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>What a look at the namespace found: the workloads that are ready, and what is not (fatal: waiting longer cannot help).</summary>
public sealed record WorkloadEvaluation(IReadOnlyList<string> Ready, IReadOnlyList<string> NotReady, IReadOnlyList<string> Fatal, IReadOnlyList<string> ImageIds);

/// <summary>
/// After helm says the release is deployed, every workload kind in the namespace (Deployments, StatefulSets, DaemonSets,
/// Jobs) must be ready with no unavailable replicas, and no container may be crash-looping or failing to pull, within
/// the install's deadline: a rollout that helm called done but that is not fails here (chart-testing checks Deployments
/// only). A crash loop or a failed Job fails at once; anything else is waited for until the deadline.
/// </summary>
public sealed class WorkloadCheck(IKubectlCli kubectl, IBuildLog log, TimeProvider time)
{
    private static readonly string[] FatalWaitingReasons =
        ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"];

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public async Task<string> RunAsync(string inNamespace, DateTimeOffset deadline, ImagePin image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        while (true)
        {
            var evaluation = await LookAsync(inNamespace, image, cancellationToken);
            if (evaluation.NotReady.Count == 0 && evaluation.Fatal.Count == 0)
            {
                foreach (var line in evaluation.Ready)
                    log.Info($"ready: {line}");
                var proof = evaluation.ImageIds.Count > 0 ? $"; containers run {string.Join(", ", evaluation.ImageIds.Distinct())}" : string.Empty;
                return $"{evaluation.Ready.Count} workloads ready ({string.Join(", ", evaluation.Ready)}){proof}";
            }

            if (evaluation.Fatal.Count > 0 || time.GetUtcNow() >= deadline)
            {
                var problems = evaluation.Fatal.Concat(evaluation.NotReady).ToList();
                var when = evaluation.Fatal.Count > 0 ? "after helm reported the release deployed" : $"by the install deadline ({PrSmokeLabels.FormatTime(deadline)})";
                throw new PrSmokeException($"Not every workload is ready {when}: {string.Join("; ", problems)}");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>One look, no waiting: what is not ready (fatal first) right now.</summary>
    public async Task<IReadOnlyList<string>> NotReadyAsync(string inNamespace, ImagePin image, CancellationToken cancellationToken)
    {
        var evaluation = await LookAsync(inNamespace, image, cancellationToken);
        return [.. evaluation.Fatal, .. evaluation.NotReady];
    }

    private async Task<WorkloadEvaluation> LookAsync(string inNamespace, ImagePin image, CancellationToken cancellationToken)
    {
        var workloads = await kubectl.GetJsonAsync("deployments,statefulsets,daemonsets,jobs", null, inNamespace, null, cancellationToken) ?? EmptyList;
        var pods = await kubectl.GetJsonAsync("pods", null, inNamespace, null, cancellationToken) ?? EmptyList;
        return Evaluate(workloads, pods, image);
    }

    /// <summary>Judges one snapshot: the JSON lists <c>kubectl get ... -o json</c> printed for the workloads and the pods.</summary>
    public static WorkloadEvaluation Evaluate(string workloadsJson, string podsJson, ImagePin image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var ready = new List<string>();
        var notReady = new List<string>();
        var fatal = new List<string>();
        using (var workloads = JsonDocument.Parse(workloadsJson))
        {
            foreach (var item in workloads.RootElement.GetProperty("items").EnumerateArray())
            {
                var (name, problem, isFatal) = item.GetProperty("kind").GetString() switch
                {
                    "Deployment" => Judge(KubernetesJson.Deserialize<V1Deployment>(item.GetRawText())),
                    "StatefulSet" => Judge(KubernetesJson.Deserialize<V1StatefulSet>(item.GetRawText())),
                    "DaemonSet" => Judge(KubernetesJson.Deserialize<V1DaemonSet>(item.GetRawText())),
                    "Job" => Judge(KubernetesJson.Deserialize<V1Job>(item.GetRawText())),
                    var other => ($"{other}/{item.GetProperty("metadata").GetProperty("name").GetString()}", null, false),
                };
                (problem is null ? ready : isFatal ? fatal : notReady).Add(problem is null ? name : $"{name}: {problem}");
            }
        }

        if (ready.Count + notReady.Count + fatal.Count == 0)
            notReady.Add("no Deployment, StatefulSet, DaemonSet or Job in the namespace");

        var imageIds = new List<string>();
        foreach (var pod in KubernetesJson.Deserialize<V1PodList>(podsJson).Items ?? [])
        {
            foreach (var status in (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []))
            {
                if (status.State?.Waiting is { } waiting && FatalWaitingReasons.Contains(waiting.Reason))
                    fatal.Add($"pod {pod.Metadata.Name} container {status.Name}: {waiting.Reason} ({status.RestartCount} restarts){(string.IsNullOrWhiteSpace(waiting.Message) ? string.Empty : ": " + waiting.Message.Trim())}");
                else if (status.Image == image.ToString() && !string.IsNullOrEmpty(status.ImageID))
                    imageIds.Add(status.ImageID);
            }
        }

        return new WorkloadEvaluation(ready, notReady, fatal, imageIds);
    }

    private static (string Name, string? Problem, bool Fatal) Judge(V1Deployment deployment)
    {
        var name = $"Deployment/{deployment.Metadata.Name}";
        var wanted = deployment.Spec?.Replicas ?? 1;
        var status = deployment.Status;
        var problem = Generation(deployment.Metadata.Generation, status?.ObservedGeneration)
            ?? Replicas("updated", status?.UpdatedReplicas, wanted)
            ?? Replicas("ready", status?.ReadyReplicas, wanted)
            ?? Replicas("available", status?.AvailableReplicas, wanted)
            ?? (status?.UnavailableReplicas is > 0 and var unavailable ? $"{unavailable} unavailable replicas" : null);
        return ($"{name} {status?.ReadyReplicas ?? 0}/{wanted}", problem, false);
    }

    private static (string Name, string? Problem, bool Fatal) Judge(V1StatefulSet statefulSet)
    {
        var name = $"StatefulSet/{statefulSet.Metadata.Name}";
        var wanted = statefulSet.Spec?.Replicas ?? 1;
        var status = statefulSet.Status;
        var rolling = statefulSet.Spec?.UpdateStrategy?.Type is null or "RollingUpdate";
        var problem = Generation(statefulSet.Metadata.Generation, status?.ObservedGeneration)
            ?? Replicas("ready", status?.ReadyReplicas, wanted)
            ?? (rolling ? Replicas("updated", status?.UpdatedReplicas, wanted) : null)
            ?? (rolling && status?.CurrentRevision != status?.UpdateRevision ? $"revision {status?.CurrentRevision} is not yet {status?.UpdateRevision}" : null);
        return ($"{name} {status?.ReadyReplicas ?? 0}/{wanted}", problem, false);
    }

    private static (string Name, string? Problem, bool Fatal) Judge(V1DaemonSet daemonSet)
    {
        var name = $"DaemonSet/{daemonSet.Metadata.Name}";
        var status = daemonSet.Status;
        var wanted = status?.DesiredNumberScheduled ?? 0;
        var problem = Generation(daemonSet.Metadata.Generation, status?.ObservedGeneration)
            ?? Replicas("ready", status?.NumberReady, wanted)
            ?? Replicas("updated", status?.UpdatedNumberScheduled, wanted)
            ?? (status?.NumberUnavailable is > 0 and var unavailable ? $"{unavailable} unavailable" : null);
        return ($"{name} {status?.NumberReady ?? 0}/{wanted}", problem, false);
    }

    private static (string Name, string? Problem, bool Fatal) Judge(V1Job job)
    {
        var name = $"Job/{job.Metadata.Name}";
        var conditions = job.Status?.Conditions ?? [];
        if (conditions.FirstOrDefault(condition => condition.Type == "Failed" && condition.Status == "True") is { } failed)
            return (name, $"failed ({failed.Reason}: {failed.Message})", true);
        var completions = job.Spec?.Completions ?? 1;
        var succeeded = job.Status?.Succeeded ?? 0;
        var complete = conditions.Any(condition => condition.Type == "Complete" && condition.Status == "True") || succeeded >= completions;
        return ($"{name} {succeeded}/{completions} completed", complete ? null : $"{succeeded} of {completions} completions", false);
    }

    private static string? Generation(long? generation, long? observed) =>
        generation is { } wanted && (observed ?? 0) < wanted ? $"generation {wanted} not yet observed by its controller" : null;

    private static string? Replicas(string what, int? actual, int wanted) =>
        (actual ?? 0) < wanted ? $"{actual ?? 0} of {wanted} replicas {what}" : null;

    private const string EmptyList = """{"apiVersion":"v1","items":[],"kind":"List"}""";
}
