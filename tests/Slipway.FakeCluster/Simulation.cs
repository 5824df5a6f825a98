using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Slipway.FakeCluster;

/// <summary>
/// What the control plane and the kubelet would do, applied on every invocation: workloads get pods whose status
/// follows the scenario (and, in a kind cluster, whether the image was loaded), workload statuses follow their pods,
/// and a deleted namespace goes, with everything in it, unless it is stuck on its finalizers.
/// </summary>
public static class Simulation
{
    public static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job"];

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Kind(JsonObject item) => item["kind"]!.GetValue<string>();

    public static string Name(JsonObject item) => item["metadata"]!["name"]!.GetValue<string>();

    public static string Namespace(JsonObject item) => item["metadata"]!["namespace"]!.GetValue<string>();

    public static IEnumerable<JsonObject> In(FakeClusterState cluster, string ns, params string[] kinds) =>
        cluster.Objects.Where(item => Namespace(item) == ns && (kinds.Length == 0 || kinds.Contains(Kind(item))));

    /// <summary>Namespaces whose deletion was accepted go now, unless the scenario keeps them Terminating on their finalizers.</summary>
    public static void Tick(FakeClusterState cluster, Scenario scenario)
    {
        foreach (var (name, ns) in cluster.Namespaces.ToList())
        {
            if (ns.DeletionRequestedAt is null)
                continue;
            var stuck = scenario.NamespaceStuckTerminating && (ns.SpecFinalizers.Count > 0 || ns.MetadataFinalizers.Count > 0);
            if (stuck)
            {
                ns.Phase = "Terminating";
                continue;
            }

            cluster.Namespaces.Remove(name);
            cluster.Objects.RemoveAll(item => Namespace(item) == name);
            foreach (var key in cluster.Releases.Keys.Where(key => key.StartsWith(name + "/", StringComparison.Ordinal)).ToList())
                cluster.Releases.Remove(key);
            foreach (var key in cluster.Logs.Keys.Where(key => key.StartsWith(name + "/", StringComparison.Ordinal)).ToList())
                cluster.Logs.Remove(key);
        }
    }

    /// <summary>Creates the pods of a workload as its controller and the kubelet would leave them.</summary>
    public static void StartPods(FakeClusterState cluster, Scenario scenario, JsonObject workload)
    {
        var ns = Namespace(workload);
        var name = Name(workload);
        var kind = Kind(workload);
        var template = (kind == "Job" ? workload["spec"]!["template"] : workload["spec"]!["template"])!.AsObject();
        var replicas = kind switch
        {
            "Deployment" or "StatefulSet" => (int)(Number(workload["spec"]!["replicas"]) ?? 1),
            "Job" => (int)(Number(workload["spec"]!["completions"]) ?? 1),
            _ => 1,
        };
        var hash = Hex(name + Now())[..10];
        for (var i = 0; i < replicas; i++)
        {
            var podName = kind switch
            {
                "StatefulSet" => $"{name}-{i}",
                "Deployment" => $"{name}-{hash}-{Hex(name + i + Now())[..5]}",
                _ => $"{name}-{Hex(name + i + Now())[..5]}",
            };
            var spec = template["spec"]!.DeepClone().AsObject();
            var pod = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = podName,
                    ["namespace"] = ns,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["creationTimestamp"] = Now(),
                    ["labels"] = template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
                    ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind == "Deployment" ? "ReplicaSet" : kind, ["name"] = kind == "Deployment" ? $"{name}-{hash}" : name, ["controller"] = true }),
                },
                ["spec"] = spec,
            };
            pod["status"] = PodStatus(cluster, scenario, pod, kind == "Job");
            cluster.Objects.Add(pod);
            Events(cluster, scenario, pod);
            Logs(cluster, scenario, pod);
        }

        UpdateWorkload(cluster, workload);
    }

    /// <summary>Workload status from its pods, the way its controller reports it.</summary>
    public static void UpdateWorkload(FakeClusterState cluster, JsonObject workload)
    {
        var pods = In(cluster, Namespace(workload), "Pod").Where(pod => Owner(pod) == Name(workload)).ToList();
        var ready = pods.Count(IsReady);
        var generation = Number(workload["metadata"]!["generation"]) ?? 1;
        workload["metadata"]!["generation"] = generation;
        var status = new JsonObject { ["observedGeneration"] = generation };
        switch (Kind(workload))
        {
            case "Deployment":
                status["replicas"] = pods.Count;
                status["updatedReplicas"] = pods.Count;
                status["readyReplicas"] = ready;
                status["availableReplicas"] = ready;
                if (pods.Count - ready > 0)
                    status["unavailableReplicas"] = pods.Count - ready;
                status["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Available", ["status"] = ready == pods.Count ? "True" : "False", ["reason"] = ready == pods.Count ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable" },
                    new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = ready == pods.Count ? "NewReplicaSetAvailable" : "ReplicaSetUpdated" });
                break;
            case "StatefulSet":
                status["replicas"] = pods.Count;
                status["readyReplicas"] = ready;
                status["updatedReplicas"] = pods.Count;
                status["currentRevision"] = $"{Name(workload)}-1";
                status["updateRevision"] = $"{Name(workload)}-1";
                break;
            case "DaemonSet":
                status["desiredNumberScheduled"] = pods.Count;
                status["currentNumberScheduled"] = pods.Count;
                status["updatedNumberScheduled"] = pods.Count;
                status["numberReady"] = ready;
                status["numberAvailable"] = ready;
                if (pods.Count - ready > 0)
                    status["numberUnavailable"] = pods.Count - ready;
                break;
            case "Job":
                var succeeded = pods.Count(pod => pod["status"]!["phase"]!.GetValue<string>() == "Succeeded");
                status["succeeded"] = succeeded;
                if (succeeded == pods.Count)
                    status["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True" });
                break;
        }

        workload["status"] = status;
    }

    public static bool IsReady(JsonObject pod) =>
        pod["status"]!["phase"]!.GetValue<string>() == "Succeeded"
        || (pod["status"]!["conditions"] as JsonArray ?? []).Any(condition => condition!["type"]!.GetValue<string>() == "Ready" && condition["status"]!.GetValue<string>() == "True");

    public static string? Owner(JsonObject pod)
    {
        var owner = pod["metadata"]!["ownerReferences"]?[0]?["name"]?.GetValue<string>();
        // A Deployment's pods belong to its ReplicaSet <deployment>-<hash>.
        return owner is not null && pod["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>() == "ReplicaSet" ? owner[..owner.LastIndexOf('-')] : owner;
    }

    /// <summary>Whether a kind node's containerd has the image: pods resolve their image by exact name, as the CRI does.</summary>
    public static bool ImageAvailable(FakeClusterState cluster, string image) =>
        cluster.KindName is null || cluster.Images.Any(loaded => loaded.Name == image);

    private static JsonObject PodStatus(FakeClusterState cluster, Scenario scenario, JsonObject pod, bool runsToCompletion)
    {
        var containers = pod["spec"]!["containers"]!.AsArray().Select(container => container!.AsObject()).ToList();
        var statuses = new JsonArray();
        var allReady = true;
        var phase = "Running";
        foreach (var container in containers)
        {
            var image = container["image"]!.GetValue<string>();
            var name = container["name"]!.GetValue<string>();
            JsonObject status;
            if (!ImageAvailable(cluster, image))
            {
                phase = "Pending";
                allReady = false;
                status = Waiting(name, image, "ErrImagePull", $"failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": failed to do request: Head \"https://{image.Split('/')[0]}/v2/\": dial tcp {image.Split('/')[0]}: connect: connection refused", 0);
            }
            else if (scenario.CrashLoop)
            {
                allReady = false;
                status = Waiting(name, image, "CrashLoopBackOff", $"back-off 40s restarting failed container={name} pod={Name(pod)}", 3);
                status["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 139, ["reason"] = "Error", ["startedAt"] = Now(), ["finishedAt"] = Now() } };
                status["imageID"] = ImageId(image);
            }
            else if (runsToCompletion)
            {
                phase = "Succeeded";
                status = new JsonObject { ["name"] = name, ["image"] = image, ["imageID"] = ImageId(image), ["ready"] = false, ["restartCount"] = 0, ["started"] = false, ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed" } } };
            }
            else
            {
                var ready = !scenario.InstallNeverReady;
                allReady &= ready;
                status = new JsonObject { ["name"] = name, ["image"] = image, ["imageID"] = ImageId(image), ["ready"] = ready, ["restartCount"] = 0, ["started"] = true, ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Now() } } };
            }

            statuses.Add(status);
        }

        return new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                new JsonObject { ["type"] = "Ready", ["status"] = allReady && phase == "Running" ? "True" : "False" }),
            ["hostIP"] = "172.18.0.2",
            ["podIP"] = "10.244.0." + RandomNumberGenerator.GetInt32(2, 250).ToString(CultureInfo.InvariantCulture),
            ["startTime"] = Now(),
            ["containerStatuses"] = statuses,
        };
    }

    private static JsonObject Waiting(string name, string image, string reason, string message, int restarts) => new()
    {
        ["name"] = name,
        ["image"] = image,
        ["imageID"] = string.Empty,
        ["ready"] = false,
        ["restartCount"] = restarts,
        ["started"] = false,
        ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } },
    };

    /// <summary>containerd reports the repo digest the image was resolved by.</summary>
    private static string ImageId(string image) => image.Contains('@', StringComparison.Ordinal) ? image : $"{image.Split(':')[0]}@sha256:{Hex(image)}";

    private static void Events(FakeClusterState cluster, Scenario scenario, JsonObject pod)
    {
        var ns = Namespace(pod);
        var name = Name(pod);
        var image = pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
        void Add(string type, string reason, string message, string component, int count = 1) => cluster.Objects.Add(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{name}.{Hex(reason + name)[..16]}", ["namespace"] = ns, ["creationTimestamp"] = Now() },
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = name, ["namespace"] = ns },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["count"] = count,
            ["firstTimestamp"] = Now(),
            ["lastTimestamp"] = Now(),
            ["source"] = new JsonObject { ["component"] = component },
        });

        Add("Normal", "Scheduled", $"Successfully assigned {ns}/{name} to {cluster.KindName ?? "node-1"}-control-plane", "default-scheduler");
        if (!ImageAvailable(cluster, image))
        {
            Add("Normal", "Pulling", $"Pulling image \"{image}\"", "kubelet");
            Add("Warning", "Failed", $"Failed to pull image \"{image}\": failed to resolve reference \"{image}\"", "kubelet", 3);
            Add("Warning", "BackOff", $"Back-off pulling image \"{image}\"", "kubelet", 5);
            return;
        }

        Add("Normal", "Pulled", $"Container image \"{image}\" already present on machine", "kubelet");
        Add("Normal", "Created", "Created container: beacon", "kubelet");
        Add("Normal", "Started", "Started container beacon", "kubelet");
        if (scenario.CrashLoop)
            Add("Warning", "BackOff", $"Back-off restarting failed container beacon in pod {name}", "kubelet", 4);
        if (scenario.InstallNeverReady)
            Add("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "kubelet", 12);
    }

    private static void Logs(FakeClusterState cluster, Scenario scenario, JsonObject pod)
    {
        var key = $"{Namespace(pod)}/{Name(pod)}";
        foreach (var container in pod["spec"]!["containers"]!.AsArray())
        {
            var name = container!["name"]!.GetValue<string>();
            cluster.Logs[$"{key}/{name}"] = scenario.CrashLoop
                ? string.Empty
                : """{"EventId":14,"LogLevel":"Information","Category":"Microsoft.Hosting.Lifetime","Message":"Now listening on: http://[::]:8080","State":{"Message":"Now listening on: http://[::]:8080","address":"http://[::]:8080"}}""" + "\n";
            if (scenario.CrashLoop)
                cluster.Logs[$"{key}/{name}/previous"] = "Unhandled exception. System.IO.IOException: Failed to bind to address http://[::]:8080: address already in use.\n   at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Infrastructure.TransportManager.BindAsync()\n";
        }
    }

    /// <summary>A number, whether it was parsed from JSON or set by the fake itself (where it may be an int or a long).</summary>
    public static long? Number(JsonNode? node) =>
        node is null ? null : node.AsValue().TryGetValue<long>(out var wide) ? wide : node.AsValue().TryGetValue<int>(out var narrow) ? narrow : long.Parse(node.ToString(), CultureInfo.InvariantCulture);

    public static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
