using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.FakeCluster;

/// <summary>kubectl 1.35.2 against the simulated cluster: the verbs Slipway runs, with kubectl's output formats, messages and exit codes.</summary>
public static class FakeKubectl
{
    private static readonly HashSet<string> Booleans = ["client", "minify", "wait", "ignore-not-found", "force", "all", "previous", "all-namespaces"];
    private static readonly Dictionary<char, string> Shorthands = new() { ['n'] = "namespace", ['o'] = "output", ['l'] = "selector", ['f'] = "filename", ['c'] = "container", ['p'] = "patch" };

    public static int Run(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string statePath)
    {
        var args = Arguments.Parse(argv, Booleans, Shorthands);
        var verb = args.Positionals.FirstOrDefault() ?? throw new FakeExit(1, "error: You must specify the type of resource to get.");
        var kubeconfig = args.Flag("kubeconfig");
        var context = Contexts.Context(kubeconfig, args.Flag("context"));

        switch (verb)
        {
            case "version" when args.Bool("client"):
                stdout.WriteLine("Client Version: v1.35.2\nKustomize Version: v5.7.1");
                return 0;
            case "config":
                return Config(args, kubeconfig, context, stdout);
            case "port-forward":
                return PortForward.Run(args, statePath, context, stdout, stderr);
        }

        var stdin = args.Flag("filename") == "-" ? Console.In.ReadToEnd() : null;
        return FakeState.Update(statePath, state =>
        {
            var cluster = Contexts.Reach(state, context);
            if (verb == "version")
                return Version(cluster, state.Scenario, kubeconfig, context, stdout, stderr);
            if (cluster is null)
                throw new FakeExit(1, $"The connection to the server {Contexts.ServerAddress(kubeconfig, context)} was refused - did you specify the right host or port?");
            Simulation.Tick(cluster, state.Scenario);
            var ns = args.Flag("namespace") ?? "default";
            return verb switch
            {
                "auth" => CanI(args, state.Scenario, stdout),
                "create" => Create(cluster, state.Scenario, stdin!, stdout),
                "get" => Get(cluster, args, ns, stdout),
                "delete" => Delete(cluster, args, ns, stdout, stderr),
                "patch" => Patch(cluster, args, stdout),
                "replace" => Finalize(cluster, args, stdin!, stdout),
                "describe" => Describe(cluster, args, ns, stdout),
                "logs" => Logs(cluster, args, ns, stdout),
                _ => throw new FakeExit(1, $"error: unknown command \"{verb}\" for \"kubectl\""),
            };
        });
    }

    private static int Config(Arguments args, string? kubeconfig, string? context, TextWriter stdout)
    {
        var loaded = Kubeconfig.Load(Kubeconfig.Locate(kubeconfig));
        switch (args.Positionals.ElementAtOrDefault(1))
        {
            case "current-context":
                stdout.WriteLine(loaded.CurrentContext ?? throw new FakeExit(1, "error: current-context is not set"));
                return 0;
            case "view":
                if (context is null)
                    throw new FakeExit(1, "error: current-context must exist in order to minify");
                stdout.Write(loaded.Servers.GetValueOrDefault(context) ?? string.Empty);
                return 0;
            default:
                throw new FakeExit(1, "error: unknown config command");
        }
    }

    private static int Version(FakeClusterState? cluster, Scenario scenario, string? kubeconfig, string? context, TextWriter stdout, TextWriter stderr)
    {
        var client = new JsonObject { ["major"] = "1", ["minor"] = "35", ["gitVersion"] = "v1.35.2", ["platform"] = "linux/amd64" };
        var output = new JsonObject { ["clientVersion"] = client, ["kustomizeVersion"] = "v5.7.1" };
        if (cluster is not null)
        {
            var parts = scenario.ServerVersion.TrimStart('v').Split('.');
            output["serverVersion"] = new JsonObject { ["major"] = parts[0], ["minor"] = parts[1], ["gitVersion"] = scenario.ServerVersion, ["platform"] = "linux/amd64" };
        }

        stdout.WriteLine(output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (cluster is not null)
            return 0;
        stderr.WriteLine($"The connection to the server {Contexts.ServerAddress(kubeconfig, context)} was refused - did you specify the right host or port?");
        return 1;
    }

    private static int CanI(Arguments args, Scenario scenario, TextWriter stdout)
    {
        var question = $"{args.Positionals[2]} {args.Positionals[3]}";
        var allowed = scenario.CanI.GetValueOrDefault(question, true);
        stdout.WriteLine(allowed ? "yes" : "no");
        return allowed ? 0 : 1;
    }

    private static int Create(FakeClusterState cluster, Scenario scenario, string stdin, TextWriter stdout)
    {
        var item = JsonNode.Parse(stdin)!.AsObject();
        if (item["kind"]!.GetValue<string>() != "Namespace")
            throw new FakeExit(1, "error: the fake creates namespaces only");
        var name = item["metadata"]!["name"]!.GetValue<string>();
        if (scenario.ForbidCreateNamespace)
            throw new FakeExit(1, $"Error from server (Forbidden): error when creating \"STDIN\": namespaces is forbidden: User \"system:serviceaccount:ci:runner\" cannot create resource \"namespaces\" in API group \"\" at the cluster scope");
        if (cluster.Namespaces.ContainsKey(name))
            throw new FakeExit(1, $"Error from server (AlreadyExists): error when creating \"STDIN\": namespaces \"{name}\" already exists");
        cluster.Namespaces[name] = new FakeNamespace
        {
            Labels = Strings(item["metadata"]!["labels"]),
            Annotations = Strings(item["metadata"]!["annotations"]),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        stdout.WriteLine($"namespace/{name} created");
        return 0;
    }

    private static int Get(FakeClusterState cluster, Arguments args, string ns, TextWriter stdout)
    {
        var resource = args.Positionals[1];
        var name = args.Positionals.ElementAtOrDefault(2);
        var selector = args.Flag("selector");
        List<JsonObject> items;
        if (resource is "namespace" or "namespaces" or "ns")
        {
            items = [.. cluster.Namespaces.Select(pair => NamespaceObject(pair.Key, pair.Value))];
        }
        else
        {
            var kinds = resource.Split(',').Select(KindOf).ToArray();
            items = [.. Simulation.In(cluster, ns, kinds)];
        }

        items = [.. items.Where(item => Matches(item, selector))];
        if (name is not null)
        {
            var found = items.FirstOrDefault(item => Simulation.Name(item) == name)
                ?? throw new FakeExit(1, $"Error from server (NotFound): {Plural(resource)} \"{name}\" not found");
            stdout.WriteLine(found.ToJsonString(Indented));
            return 0;
        }

        var list = new JsonObject { ["apiVersion"] = "v1", ["items"] = new JsonArray([.. items.Select(item => (JsonNode)item.DeepClone())]), ["kind"] = "List", ["metadata"] = new JsonObject { ["resourceVersion"] = string.Empty } };
        stdout.WriteLine(list.ToJsonString(Indented));
        return 0;
    }

    private static int Delete(FakeClusterState cluster, Arguments args, string ns, TextWriter stdout, TextWriter stderr)
    {
        var resource = args.Positionals[1];
        if (resource is "pods" or "pod")
        {
            if (args.Bool("force"))
                stderr.WriteLine("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
            foreach (var pod in Simulation.In(cluster, ns, "Pod").ToList())
            {
                cluster.Objects.Remove(pod);
                stdout.WriteLine($"pod \"{Simulation.Name(pod)}\" {(args.Bool("force") ? "force deleted" : "deleted")}");
            }

            return 0;
        }

        var name = args.Positionals[2];
        if (!cluster.Namespaces.TryGetValue(name, out var found))
        {
            if (args.Bool("ignore-not-found"))
                return 0;
            throw new FakeExit(1, $"Error from server (NotFound): namespaces \"{name}\" not found");
        }

        found.DeletionRequestedAt ??= DateTimeOffset.UtcNow;
        found.Phase = "Terminating";
        stdout.WriteLine($"namespace \"{name}\" deleted");
        return 0;
    }

    private static int Patch(FakeClusterState cluster, Arguments args, TextWriter stdout)
    {
        var name = args.Positionals[2];
        var found = cluster.Namespaces.GetValueOrDefault(name) ?? throw new FakeExit(1, $"Error from server (NotFound): namespaces \"{name}\" not found");
        var patch = JsonNode.Parse(args.Flag("patch")!)!;
        if (patch["metadata"] is JsonObject metadata && metadata.ContainsKey("finalizers"))
            found.MetadataFinalizers = [.. (metadata["finalizers"] as JsonArray ?? []).Select(item => item!.GetValue<string>())];
        stdout.WriteLine($"namespace/{name} patched");
        return 0;
    }

    private static int Finalize(FakeClusterState cluster, Arguments args, string stdin, TextWriter stdout)
    {
        var path = args.Flag("raw") ?? throw new FakeExit(1, "error: the fake replaces --raw only");
        var name = path.Split('/')[4];
        var found = cluster.Namespaces.GetValueOrDefault(name) ?? throw new FakeExit(1, $"Error from server (NotFound): namespaces \"{name}\" not found");
        found.SpecFinalizers = [.. (JsonNode.Parse(stdin)!["spec"]?["finalizers"] as JsonArray ?? []).Select(item => item!.GetValue<string>())];
        stdout.WriteLine(NamespaceObject(name, found).ToJsonString());
        return 0;
    }

    private static int Describe(FakeClusterState cluster, Arguments args, string ns, TextWriter stdout)
    {
        var kind = KindOf(args.Positionals[1]);
        var name = args.Positionals[2];
        var item = Simulation.In(cluster, ns, kind).FirstOrDefault(candidate => Simulation.Name(candidate) == name)
            ?? throw new FakeExit(1, $"Error from server (NotFound): {Plural(args.Positionals[1])} \"{name}\" not found");
        var text = new StringBuilder();
        text.AppendLine($"Name:         {name}");
        text.AppendLine($"Namespace:    {ns}");
        text.AppendLine($"Labels:       {string.Join(",", Strings(item["metadata"]!["labels"]).Select(label => $"{label.Key}={label.Value}"))}");
        if (kind == "Pod")
        {
            text.AppendLine($"Status:       {item["status"]!["phase"]}");
            foreach (var status in item["status"]!["containerStatuses"]!.AsArray())
            {
                text.AppendLine($"Containers:\n  {status!["name"]}:\n    Image:          {status["image"]}\n    Image ID:       {status["imageID"]}");
                text.AppendLine($"    State:          {status["state"]!.AsObject().First().Key}");
                text.AppendLine($"    Ready:          {status["ready"]}\n    Restart Count:  {status["restartCount"]}");
            }
        }
        else
        {
            text.AppendLine($"Status:       {item["status"]?.ToJsonString()}");
        }

        text.AppendLine("Events:");
        foreach (var item2 in Simulation.In(cluster, ns, "Event").Where(e => e["involvedObject"]!["name"]!.GetValue<string>() == name))
            text.AppendLine($"  {item2["type"]}  {item2["reason"]}  {item2["source"]!["component"]}  {item2["message"]}");
        stdout.Write(text.ToString());
        return 0;
    }

    private static int Logs(FakeClusterState cluster, Arguments args, string ns, TextWriter stdout)
    {
        var pod = args.Positionals[1];
        var container = args.Flag("container") ?? string.Empty;
        if (!Simulation.In(cluster, ns, "Pod").Any(item => Simulation.Name(item) == pod))
            throw new FakeExit(1, $"Error from server (NotFound): pods \"{pod}\" not found");
        var key = $"{ns}/{pod}/{container}{(args.Bool("previous") ? "/previous" : string.Empty)}";
        if (!cluster.Logs.TryGetValue(key, out var text))
            throw new FakeExit(1, $"Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod}\" not found");
        var limit = int.TryParse(args.Flag("limit-bytes"), out var bytes) ? bytes : int.MaxValue;
        stdout.Write(text.Length > limit ? text[..limit] : text);
        return 0;
    }

    public static JsonObject NamespaceObject(string name, FakeNamespace ns)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject([.. ns.Labels.Append(new("kubernetes.io/metadata.name", name)).Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value))]),
            ["creationTimestamp"] = ns.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (ns.Annotations.Count > 0)
            metadata["annotations"] = new JsonObject([.. ns.Annotations.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value))]);
        if (ns.DeletionRequestedAt is { } deleted)
            metadata["deletionTimestamp"] = deleted.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (ns.MetadataFinalizers.Count > 0)
            metadata["finalizers"] = new JsonArray([.. ns.MetadataFinalizers.Select(item => (JsonNode)item)]);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray([.. ns.SpecFinalizers.Select(item => (JsonNode)item)]) },
            ["status"] = new JsonObject { ["phase"] = ns.Phase },
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string KindOf(string resource) => resource.TrimEnd('s') switch
    {
        "deployment" => "Deployment",
        "statefulset" => "StatefulSet",
        "daemonset" => "DaemonSet",
        "job" => "Job",
        "pod" => "Pod",
        "event" => "Event",
        "service" => "Service",
        "configmap" => "ConfigMap",
        var other => throw new FakeExit(1, $"error: the server doesn't have a resource type \"{other}\""),
    };

    private static string Plural(string resource) => resource.EndsWith('s') ? resource : resource + "s";

    private static bool Matches(JsonObject item, string? selector)
    {
        if (selector is null)
            return true;
        var labels = Strings(item["metadata"]!["labels"]);
        if (Simulation.Kind(item) == "Namespace")
            labels["kubernetes.io/metadata.name"] = Simulation.Name(item);
        return selector.Split(',').All(term => term.Split('=') is [var key, var value] && labels.GetValueOrDefault(key) == value);
    }

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(pair => pair.Key, pair => pair.Value?.GetValue<string>() ?? string.Empty) : [];
}
