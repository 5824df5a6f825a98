using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Slipway.FakeCluster;

/// <summary>
/// helm against the simulated cluster, playing the line the scenario names (4.1.4 or 3.17.2): upgrade --install renders
/// the chart with the real helm and applies what it renders; --wait behaves as that line's waiter would report it;
/// uninstall, status and history act on the recorded releases. Every other verb (lint, template, package, push, ...)
/// is the real helm's.
/// </summary>
public static class FakeHelm
{
    private static readonly HashSet<string> Booleans = ["install", "wait-for-jobs", "ignore-not-found", "short", "atomic", "no-hooks"];
    private static readonly Dictionary<char, string> Shorthands = new() { ['n'] = "namespace", ['i'] = "install", ['o'] = "output" };

    public static int Run(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string statePath)
    {
        var scenario = FakeState.Read(statePath).Scenario;
        var verb = argv.FirstOrDefault();
        if (verb is not ("upgrade" or "uninstall" or "status" or "history" or "version"))
            return RealHelm(scenario, argv, stdout, stderr);

        if (verb == "version")
        {
            stdout.WriteLine(scenario.HelmVersion.StartsWith('4') ? "v4.1.4+g05fa379" : "v3.17.2+gcc0bbbd");
            return 0;
        }

        var helm4 = scenario.HelmVersion.StartsWith('4');
        var booleans = new HashSet<string>(Booleans);
        if (!helm4)
            booleans.Add("wait");
        var args = Arguments.Parse(argv, booleans, Shorthands, helm4 ? new Dictionary<string, string> { ["wait"] = "watcher" } : null);
        if (helm4 && args.Has("wait") && args.Flag("wait") is not ("watcher" or "hookOnly" or "legacy"))
            throw new FakeExit(1, $"Error: invalid argument \"{args.Flag("wait")}\" for \"--wait\" flag: invalid wait strategy \"{args.Flag("wait")}\"");
        if (!helm4 && args.Flag("wait") is not (null or "true" or "false"))
            throw new FakeExit(1, $"Error: invalid argument \"{args.Flag("wait")}\" for \"--wait\" flag: strconv.ParseBool: parsing \"{args.Flag("wait")}\": invalid syntax");

        var context = Contexts.Context(args.Flag("kubeconfig"), args.Flag("kube-context"));
        var ns = args.Flag("namespace") ?? "default";
        var release = args.Positionals[1];
        return verb switch
        {
            "upgrade" => Install(args, scenario, statePath, context, ns, release, helm4, stdout),
            "uninstall" => Uninstall(statePath, context, ns, release, stdout),
            "status" => Status(statePath, context, ns, release, stdout),
            _ => History(statePath, context, ns, release, stdout),
        };
    }

    private static int Install(Arguments args, Scenario scenario, string statePath, string? context, string ns, string release, bool helm4, TextWriter stdout)
    {
        var chart = args.Positionals[2];
        var rendered = new StringWriter();
        var renderError = new StringWriter();
        if (RealHelm(scenario, ["template", release, chart, "--namespace", ns], rendered, renderError) != 0)
            throw new FakeExit(1, renderError.ToString().Trim());
        var objects = KubernetesYaml.LoadAllFromString(rendered.ToString())
            .Select(item => JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject())
            .ToList();

        var workloads = FakeState.Update(statePath, state =>
        {
            var cluster = Reach(state, context, args.Flag("kubeconfig"));
            if (!cluster.Namespaces.TryGetValue(ns, out var target) || target.Phase != "Active")
                throw new FakeExit(1, $"Error: create: failed to create: namespaces \"{ns}\" not found");
            var key = $"{ns}/{release}";
            var revision = cluster.Releases.GetValueOrDefault(key)?.Revision + 1 ?? 1;
            cluster.Releases[key] = new FakeRelease { Name = release, Namespace = ns, Revision = revision, Status = "pending-install", Chart = ChartName(chart), AppVersion = AppVersion(chart), Updated = DateTimeOffset.UtcNow, Description = "Initial install underway" };
            var applied = new List<JsonObject>();
            foreach (var item in objects)
            {
                item["metadata"]!["namespace"] = ns;
                item["metadata"]!["uid"] = Guid.NewGuid().ToString();
                item["metadata"]!["creationTimestamp"] = Simulation.Now();
                item["metadata"]!["generation"] = 1;
                (item["metadata"]!["annotations"] ??= new JsonObject())["meta.helm.sh/release-name"] = release;
                cluster.Objects.Add(item);
                applied.Add(item);
            }

            foreach (var workload in applied.Where(item => Simulation.WorkloadKinds.Contains(Simulation.Kind(item))))
                Simulation.StartPods(cluster, state.Scenario, workload);
            return applied.Where(item => Simulation.WorkloadKinds.Contains(Simulation.Kind(item))).Select(item => (Simulation.Kind(item), Simulation.Name(item))).ToList();
        });

        stdout.WriteLine($"Release \"{release}\" does not exist. Installing it now.");
        stdout.Flush();
        if (args.Has("wait") && args.Flag("wait") != "false" && args.Flag("wait") != "hookOnly")
        {
            if (scenario.HelmWaitHangs)
                Thread.Sleep(Timeout.Infinite);
            var notReady = FakeState.Update(statePath, state =>
            {
                var cluster = Reach(state, context, args.Flag("kubeconfig"));
                return workloads.Where(workload => !Simulation.In(cluster, ns, "Pod").Where(pod => Simulation.Owner(pod) == workload.Item2).All(Simulation.IsReady)).ToList();
            });
            // The crash-looping pod was ready once when helm 3's poller looked; the kstatus watcher would see the same first state.
            if (notReady.Count > 0 && !scenario.CrashLoop)
            {
                Thread.Sleep(Duration(args.Flag("timeout")));
                SetStatus(statePath, context, ns, release, "failed", $"Release \"{release}\" failed: context deadline exceeded");
                var error = helm4
                    ? string.Join('\n', notReady.Select(workload => $"resource {workload.Item1}/{ns}/{workload.Item2} not ready. status: InProgress, message: Available: 0/1")) + "\ncontext deadline exceeded"
                    : "context deadline exceeded";
                // upgrade --install returns the install's error unwrapped (helm install alone prefixes INSTALLATION FAILED).
                throw new FakeExit(1, $"Error: {error}");
            }
        }

        SetStatus(statePath, context, ns, release, "deployed", "Install complete");
        stdout.WriteLine($"NAME: {release}\nLAST DEPLOYED: {DateTime.UtcNow:ddd MMM d HH:mm:ss yyyy}\nNAMESPACE: {ns}\nSTATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\nTEST SUITE: None");
        return 0;
    }

    private static int Uninstall(string statePath, string? context, string ns, string release, TextWriter stdout) =>
        FakeState.Update(statePath, state =>
        {
            var cluster = Reach(state, context, null);
            if (cluster.Releases.Remove($"{ns}/{release}"))
                cluster.Objects.RemoveAll(item => Simulation.Namespace(item) == ns && (item["metadata"]!["annotations"]?["meta.helm.sh/release-name"]?.GetValue<string>() == release || Simulation.Kind(item) == "Pod"));
            stdout.WriteLine($"release \"{release}\" uninstalled");
            return 0;
        });

    private static int Status(string statePath, string? context, string ns, string release, TextWriter stdout) =>
        FakeState.Update(statePath, state =>
        {
            var found = Reach(state, context, null).Releases.GetValueOrDefault($"{ns}/{release}") ?? throw new FakeExit(1, "Error: release: not found");
            stdout.WriteLine($"NAME: {found.Name}\nLAST DEPLOYED: {found.Updated.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\nNAMESPACE: {ns}\nSTATUS: {found.Status}\nREVISION: {found.Revision}\nDESCRIPTION: {found.Description}\nTEST SUITE: None");
            return 0;
        });

    private static int History(string statePath, string? context, string ns, string release, TextWriter stdout) =>
        FakeState.Update(statePath, state =>
        {
            var found = Reach(state, context, null).Releases.GetValueOrDefault($"{ns}/{release}") ?? throw new FakeExit(1, "Error: release: not found");
            stdout.WriteLine("REVISION\tUPDATED                 \tSTATUS  \tCHART       \tAPP VERSION\tDESCRIPTION");
            stdout.WriteLine($"{found.Revision,-8}\t{found.Updated.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\t{found.Status,-8}\t{found.Chart}\t{found.AppVersion}\t{found.Description}");
            return 0;
        });

    private static void SetStatus(string statePath, string? context, string ns, string release, string status, string description) =>
        FakeState.Update(statePath, state =>
        {
            if (Reach(state, context, null).Releases.GetValueOrDefault($"{ns}/{release}") is { } found)
            {
                found.Status = status;
                found.Description = description;
            }

            return 0;
        });

    private static FakeClusterState Reach(FakeState state, string? context, string? kubeconfig)
    {
        var cluster = Contexts.Reach(state, context)
            ?? throw new FakeExit(1, $"Error: Kubernetes cluster unreachable: Get \"https://{Contexts.ServerAddress(kubeconfig, context)}/version\": dial tcp {Contexts.ServerAddress(kubeconfig, context)}: connect: connection refused");
        Simulation.Tick(cluster, state.Scenario);
        return cluster;
    }

    private static TimeSpan Duration(string? timeout) =>
        timeout is { Length: > 1 } text && text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(5);

    private static string ChartName(string chart) => Path.GetFileNameWithoutExtension(chart);

    private static string AppVersion(string chart) => ChartName(chart).Split('-', 2).ElementAtOrDefault(1) ?? string.Empty;

    /// <summary>Runs the real helm with the same arguments, passing its output and exit code through.</summary>
    private static int RealHelm(Scenario scenario, IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr)
    {
        var start = new ProcessStartInfo(scenario.RealHelm ?? throw new FakeExit(2, "Error: the scenario names no real helm for client-side verbs"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in argv)
            start.ArgumentList.Add(arg);
        using var helm = Process.Start(start)!;
        // helm registry login --password-stdin reads stdin; every other verb gets it closed.
        if (Console.IsInputRedirected)
            Console.OpenStandardInput().CopyTo(helm.StandardInput.BaseStream);
        helm.StandardInput.Close();
        var output = helm.StandardOutput.ReadToEndAsync();
        var error = helm.StandardError.ReadToEndAsync();
        helm.WaitForExit();
        stdout.Write(output.Result);
        stderr.Write(error.Result);
        return helm.ExitCode;
    }
}
