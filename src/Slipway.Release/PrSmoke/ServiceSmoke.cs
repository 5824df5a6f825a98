using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Slipway.Logging;
using Slipway.Release.Kubernetes;
using Slipway.Release.Smoke;

namespace Slipway.Release.PrSmoke;

/// <summary>Which Service a port-forward goes through, and which local port stands for which container port.</summary>
public sealed record ForwardPlan(string Service, IReadOnlyList<(int ContainerPort, int ServicePort, int LocalPort)> Ports)
{
    public IReadOnlyList<PortMapping> Mappings => [.. Ports.Select(port => new PortMapping(port.LocalPort, port.ServicePort))];

    public override string ToString() =>
        string.Join(", ", Ports.Select(port => $"127.0.0.1:{port.LocalPort} -> svc/{Service}:{port.ServicePort} -> container port {port.ContainerPort}"));
}

/// <summary>
/// The smoke contract ImageSmoke checks, against the release in the cluster: through a port-forward to the chart's own
/// Service (so a Service whose selector or targetPort is wrong fails here, as it would for real traffic), with the
/// run spec's ports moved to the forwarded local ones. Check names keep the chart's container ports.
/// </summary>
public sealed class ServiceSmoke(IKubectlCli kubectl, SmokeContract contract, IBuildLog log)
{
    public async Task<(SmokeResult Result, ForwardPlan Plan)> RunAsync(string inNamespace, RenderedRelease render, SmokeExpectations expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        var plan = Plan(render, FreePort);
        await using var forward = new PortForwardSession(kubectl, inNamespace, $"svc/{plan.Service}", plan.Mappings, log);
        await forward.StartAsync(cancellationToken);
        var result = await contract.CheckAsync(forward, Remap(render.Spec, plan), expected, cancellationToken);
        var local = plan.Ports.ToDictionary(port => port.LocalPort, port => port.ContainerPort);
        var checks = result.Checks.Select(check => check with { Name = ContainerPortNames(check.Name, local) }).ToList();
        return (result with { Checks = checks }, plan);
    }

    /// <summary>
    /// The Service that selects the smoked workload's pods and has a port for each container port the contract uses
    /// (readiness, liveness, the first declared port), matched by targetPort number or name as the Service does.
    /// </summary>
    /// <exception cref="PrSmokeException">No such Service; the message names the container port fields and the Services there are.</exception>
    public static ForwardPlan Plan(RenderedRelease render, Func<int> freePort)
    {
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(freePort);
        var spec = render.Spec;
        var needed = new List<(int Port, string Field)>();
        if (spec.Readiness is { } readiness)
            needed.Add((readiness.Port, readiness.PortField));
        if (spec.Liveness is { } liveness)
            needed.Add((liveness.Port, liveness.PortField));
        if (spec.Ports.FirstOrDefault() is { } first)
            needed.Add((first.Number, first.Field));
        needed = [.. needed.DistinctBy(port => port.Port)];
        if (needed.Count == 0)
            throw new PrSmokeException($"{spec.WorkloadName} ({spec.ContainerField}) declares no container port and no HTTP probe: there is nothing to smoke.");

        var podLabels = render.WorkloadPodLabels;
        var selecting = render.Services
            .Where(service => service.Service.Spec?.Selector is { Count: > 0 } selector && selector.All(label => podLabels.TryGetValue(label.Key, out var value) && value == label.Value))
            .ToList();
        foreach (var (rendered, service) in selecting)
        {
            var ports = new List<(int, int, int)>();
            foreach (var (containerPort, _) in needed)
            {
                var match = service.Spec.Ports?.FirstOrDefault(port => Targets(port, containerPort, spec));
                if (match is null)
                    break;
                ports.Add((containerPort, match.Port, freePort()));
            }

            if (ports.Count == needed.Count)
                return new ForwardPlan(rendered.Name, ports);
        }

        var services = render.Services.Select(service =>
            $"{service.Rendered.DisplayName} ({service.Rendered.File}: selector {string.Join(",", (service.Service.Spec?.Selector ?? new Dictionary<string, string>()).Select(label => $"{label.Key}={label.Value}"))}; ports {string.Join(", ", (service.Service.Spec?.Ports ?? []).Select(port => $"{port.Port}->{port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture)}"))})").ToList();
        throw new PrSmokeException(
            $"No Service of the chart selects the pods of {spec.WorkloadName} and forwards to container port{(needed.Count > 1 ? "s" : string.Empty)} {string.Join(", ", needed.Select(port => $"{port.Port} ({port.Field})"))}: " +
            (services.Count == 0 ? "the chart renders no Service." : $"it renders {string.Join("; ", services)}.") +
            " The smoke reaches the app the way traffic does, through the Service: fix its selector or targetPort.");
    }

    private static bool Targets(k8s.Models.V1ServicePort port, int containerPort, RunSpec spec)
    {
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
            return port.Port == containerPort;
        return int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number == containerPort
            : spec.Ports.Any(declared => declared.Name == target && declared.Number == containerPort);
    }

    /// <summary>The run spec with every container port replaced by the local port forwarded to it.</summary>
    private static RunSpec Remap(RunSpec spec, ForwardPlan plan)
    {
        var local = plan.Ports.ToDictionary(port => port.ContainerPort, port => port.LocalPort);
        int Local(int port) => local.TryGetValue(port, out var forwarded) ? forwarded : port;
        return spec with
        {
            Ports = [.. spec.Ports.Select(port => port with { Number = Local(port.Number) })],
            Readiness = spec.Readiness is { } readiness ? readiness with { Port = Local(readiness.Port) } : null,
            Liveness = spec.Liveness is { } liveness ? liveness with { Port = Local(liveness.Port) } : null,
        };
    }

    private static string ContainerPortNames(string name, IReadOnlyDictionary<int, int> containerPortOfLocal)
    {
        foreach (var (localPort, containerPort) in containerPortOfLocal)
            name = name.Replace($"on port {localPort.ToString(CultureInfo.InvariantCulture)}", $"on port {containerPort.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);
        return name;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
