using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Slipway.FakeCluster;

/// <summary>
/// <c>kubectl port-forward svc/NAME LOCAL:REMOTE</c>: resolves the Service to a ready pod and the remote port to the
/// container port (by number or name, as kubectl does), then forwards every local connection to the scenario's backend,
/// a real Beacon process started by the test. Runs until killed, or until it "loses the pod" when the scenario says so.
/// </summary>
public static class PortForward
{
    public static int Run(Arguments args, string statePath, string? context, TextWriter stdout, TextWriter stderr)
    {
        var target = args.Positionals[1];
        var ns = args.Flag("namespace") ?? "default";
        var mappings = args.Positionals.Skip(2).Select(text => text.Split(':')).Select(parts => (Local: int.Parse(parts[0], CultureInfo.InvariantCulture), Remote: int.Parse(parts[1], CultureInfo.InvariantCulture))).ToList();

        var (backend, containerPorts, dropAfter) = FakeState.Update(statePath, state =>
        {
            var cluster = Contexts.Reach(state, context)
                ?? throw new FakeExit(1, $"The connection to the server {Contexts.ServerAddress(args.Flag("kubeconfig"), context)} was refused - did you specify the right host or port?");
            Simulation.Tick(cluster, state.Scenario);
            var name = target.StartsWith("svc/", StringComparison.Ordinal) ? target[4..] : throw new FakeExit(1, "error: the fake forwards to services only");
            var service = Simulation.In(cluster, ns, "Service").FirstOrDefault(item => Simulation.Name(item) == name)
                ?? throw new FakeExit(1, $"Error from server (NotFound): services \"{name}\" not found");
            var selector = service["spec"]!["selector"]!.AsObject();
            var pod = Simulation.In(cluster, ns, "Pod").FirstOrDefault(item => selector.All(label => item["metadata"]!["labels"]?[label.Key]?.GetValue<string>() == label.Value!.GetValue<string>()))
                ?? throw new FakeExit(1, "error: timed out waiting for the condition");
            if (pod["status"]!["phase"]!.GetValue<string>() != "Running")
                throw new FakeExit(1, $"error: unable to forward port because pod is not running. Current status={pod["status"]!["phase"]}");
            var ports = mappings.Select(mapping => ContainerPort(service, pod, mapping.Remote)).ToList();
            var drop = state.Scenario.PortForwardDropsAfter;
            state.Scenario.PortForwardDropsAfter = null;
            return (state.Scenario.Backend ?? throw new FakeExit(1, "error: the scenario names no backend for port-forward"), ports, drop);
        });

        var host = backend.Split(':');
        var listeners = mappings.Select(mapping => new TcpListener(IPAddress.Loopback, mapping.Local)).ToList();
        foreach (var (listener, index) in listeners.Select((listener, index) => (listener, index)))
        {
            listener.Start();
            stdout.WriteLine($"Forwarding from 127.0.0.1:{mappings[index].Local} -> {containerPorts[index]}");
        }

        stdout.Flush();
        var connections = 0;
        using var lost = new CancellationTokenSource();
        var accepting = listeners.Select(async (listener, index) =>
        {
            while (!lost.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(lost.Token);
                stdout.WriteLine($"Handling connection for {mappings[index].Local}");
                stdout.Flush();
                _ = ProxyAsync(client, host[0], int.Parse(host[1], CultureInfo.InvariantCulture));
                if (Interlocked.Increment(ref connections) == dropAfter)
                    await lost.CancelAsync();
            }
        }).ToList();

        try
        {
            Task.WaitAll([.. accepting]);
        }
        catch (AggregateException) when (lost.IsCancellationRequested)
        {
            stderr.WriteLine("error: lost connection to pod");
            return 1;
        }

        return 0;
    }

    /// <summary>The container port a Service port reaches: its targetPort as a number, or the named port of the pod's containers.</summary>
    private static int ContainerPort(JsonObject service, JsonObject pod, int servicePort)
    {
        var port = service["spec"]!["ports"]!.AsArray().FirstOrDefault(item => item!["port"]!.GetValue<int>() == servicePort)
            ?? throw new FakeExit(1, $"error: Service {Simulation.Name(service)} does not have a service port {servicePort}");
        var target = port["targetPort"];
        if (target is null)
            return servicePort;
        if (target.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            return target.GetValue<int>();
        var name = target.GetValue<string>();
        return pod["spec"]!["containers"]!.AsArray().SelectMany(container => container!["ports"] as JsonArray ?? []).FirstOrDefault(item => item!["name"]?.GetValue<string>() == name)?["containerPort"]!.GetValue<int>()
            ?? throw new FakeExit(1, $"error: Pod '{Simulation.Name(pod)}' does not have a named port '{name}'");
    }

    private static async Task ProxyAsync(TcpClient client, string host, int port)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(host, port);
                var local = client.GetStream();
                var remote = upstream.GetStream();
                await Task.WhenAny(local.CopyToAsync(remote), remote.CopyToAsync(local));
            }
            catch (Exception error) when (error is SocketException or IOException)
            {
                // kubectl logs the error and keeps forwarding; so does the fake.
            }
        }
    }
}
