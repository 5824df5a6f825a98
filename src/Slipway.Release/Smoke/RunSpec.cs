using k8s.Models;
using Slipway.Release.Manifests;

namespace Slipway.Release.Smoke;

/// <summary>One environment variable the chart sets, with where its value came from (a field path, or the ConfigMap key).</summary>
public sealed record EnvSetting(string Name, string Value, string Source);

/// <summary>A container port the chart declares.</summary>
public sealed record ContainerPortSpec(string? Name, int Number, string Field);

/// <summary>An HTTP probe: path and port number, the port as the chart wrote it (a name or a number), and the field paths to blame.</summary>
public sealed record HttpProbeSpec(string Kind, string Path, int Port, string PortAsWritten, string PathField, string PortField);

/// <summary>
/// How the chart runs its workload: the first container of the rendered Deployment, with env resolved the way the kubelet
/// would (envFrom first, then env; ConfigMap references read from the rendered ConfigMaps), ports, probes and user.
/// Secret references cannot be resolved from a render: they are skipped and listed in <see cref="Notes"/>.
/// </summary>
public sealed record RunSpec
{
    public required string WorkloadName { get; init; }

    public required string ContainerName { get; init; }

    /// <summary>Field path of the container, e.g. <c>spec.template.spec.containers[0]</c>.</summary>
    public required string ContainerField { get; init; }

    /// <summary>In effect order: a later entry with the same name wins (as env over envFrom does in Kubernetes).</summary>
    public required IReadOnlyList<EnvSetting> Environment { get; init; }

    /// <summary>Replaces the image's entrypoint when set.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's cmd when set.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    public required IReadOnlyList<ContainerPortSpec> Ports { get; init; }

    public HttpProbeSpec? Readiness { get; init; }

    public HttpProbeSpec? Liveness { get; init; }

    public long? RunAsUser { get; init; }

    public long? RunAsGroup { get; init; }

    /// <summary>Field path the user came from (container or pod security context).</summary>
    public string? RunAsUserField { get; init; }

    /// <summary>The container's <c>securityContext.readOnlyRootFilesystem</c>.</summary>
    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Where the container mounts emptyDir volumes (writable, empty at start), e.g. <c>/tmp</c>.</summary>
    public IReadOnlyList<string> EmptyDirMounts { get; init; } = [];

    /// <summary>What could not be taken over from the chart (secret references, non-HTTP probes), in words.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>The effective env: the last setting of each name.</summary>
    public IReadOnlyDictionary<string, EnvSetting> EffectiveEnvironment =>
        Environment.GroupBy(setting => setting.Name, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last(), StringComparer.Ordinal);

    /// <summary>Reads the run configuration from a render (helm template output) of the chart.</summary>
    /// <exception cref="RunSpecException">No Deployment, no container, or a reference or port that does not resolve; the message names the field.</exception>
    public static RunSpec FromRenderedChart(string renderedYaml, string sourceName = "rendered chart")
    {
        var validation = ManifestValidator.Validate(renderedYaml, sourceName);
        var deployment = validation.Objects.FirstOrDefault(item => item.Object is V1Deployment);
        if (deployment is null)
        {
            var broken = validation.Problems.FirstOrDefault(problem => problem.Object.StartsWith("Deployment/", StringComparison.Ordinal));
            throw new RunSpecException(broken is null
                ? $"The {sourceName} has no Deployment to run."
                : $"The {sourceName}'s {broken.Object} does not parse: {broken}");
        }

        var configMaps = validation.Objects
            .Where(item => item.Object is V1ConfigMap)
            .ToDictionary(item => item.Name, item => (V1ConfigMap)item.Object, StringComparer.Ordinal);
        return new Reader(deployment, configMaps).Read();
    }

    private sealed class Reader(RenderedObject deployment, IReadOnlyDictionary<string, V1ConfigMap> configMaps)
    {
        private const string SpecField = "spec.template.spec";
        private readonly List<string> _notes = [];

        public RunSpec Read()
        {
            var pod = ((V1Deployment)deployment.Object).Spec?.Template?.Spec;
            if (pod?.Containers is not { Count: > 0 } containers)
                throw Fail($"{SpecField}.containers", "is empty: there is no container to run");
            var container = containers[0];
            var field = $"{SpecField}.containers[0]";

            var ports = (container.Ports ?? [])
                .Select((port, index) => new ContainerPortSpec(port.Name, port.ContainerPort, $"{field}.ports[{index}].containerPort"))
                .ToList();

            (long? User, string? Field) runAs = container.SecurityContext?.RunAsUser is { } containerUser
                ? (containerUser, $"{field}.securityContext.runAsUser")
                : pod.SecurityContext?.RunAsUser is { } podUser ? (podUser, $"{SpecField}.securityContext.runAsUser") : (null, null);

            return new RunSpec
            {
                WorkloadName = deployment.Name,
                ContainerName = container.Name,
                ContainerField = field,
                Environment = Environment(container, field),
                Command = container.Command is { Count: > 0 } command ? [.. command] : null,
                Args = container.Args is { Count: > 0 } args ? [.. args] : null,
                Ports = ports,
                Readiness = Probe("readinessProbe", container.ReadinessProbe, field, ports),
                Liveness = Probe("livenessProbe", container.LivenessProbe, field, ports),
                RunAsUser = runAs.User,
                RunAsGroup = container.SecurityContext?.RunAsGroup ?? pod.SecurityContext?.RunAsGroup,
                RunAsUserField = runAs.Field,
                ReadOnlyRootFilesystem = container.SecurityContext?.ReadOnlyRootFilesystem == true,
                EmptyDirMounts = EmptyDirMounts(pod, container, field),
                Notes = _notes,
            };
        }

        private List<EnvSetting> Environment(V1Container container, string field)
        {
            var settings = new List<EnvSetting>();
            foreach (var (source, index) in (container.EnvFrom ?? []).Select((source, index) => (source, index)))
            {
                var sourceField = $"{field}.envFrom[{index}]";
                if (source.ConfigMapRef is { } reference)
                {
                    if (!configMaps.TryGetValue(reference.Name ?? string.Empty, out var map))
                    {
                        if (reference.Optional == true)
                        {
                            _notes.Add($"{sourceField}.configMapRef: optional ConfigMap '{reference.Name}' is not in the render; nothing taken from it.");
                            continue;
                        }

                        throw Fail($"{sourceField}.configMapRef.name", $"names ConfigMap '{reference.Name}', which the chart does not render{Known()}");
                    }

                    settings.AddRange((map.Data ?? new Dictionary<string, string>())
                        .OrderBy(entry => entry.Key, StringComparer.Ordinal)
                        .Select(entry => new EnvSetting((source.Prefix ?? string.Empty) + entry.Key, entry.Value ?? string.Empty, $"ConfigMap {reference.Name} key {entry.Key} (via {sourceField})")));
                }
                else if (source.SecretRef is { } secret)
                {
                    _notes.Add($"{sourceField}.secretRef: Secret '{secret.Name}' skipped (secrets are not resolved from a render); its variables are not set.");
                }
            }

            foreach (var (variable, index) in (container.Env ?? []).Select((variable, index) => (variable, index)))
            {
                var variableField = $"{field}.env[{index}]";
                if (variable.ValueFrom is null)
                {
                    settings.Add(new EnvSetting(variable.Name, variable.Value ?? string.Empty, variableField));
                    continue;
                }

                if (variable.ValueFrom.ConfigMapKeyRef is { } keyRef)
                {
                    var keyField = $"{variableField}.valueFrom.configMapKeyRef";
                    if (configMaps.TryGetValue(keyRef.Name ?? string.Empty, out var map) && map.Data?.TryGetValue(keyRef.Key, out var value) == true)
                    {
                        settings.Add(new EnvSetting(variable.Name, value ?? string.Empty, $"ConfigMap {keyRef.Name} key {keyRef.Key} (via {keyField})"));
                    }
                    else if (keyRef.Optional == true)
                    {
                        _notes.Add($"{keyField}: optional key '{keyRef.Key}' of ConfigMap '{keyRef.Name}' is not in the render; {variable.Name} is not set.");
                    }
                    else
                    {
                        throw map is null
                            ? Fail($"{keyField}.name", $"names ConfigMap '{keyRef.Name}', which the chart does not render{Known()}")
                            : Fail($"{keyField}.key", $"names key '{keyRef.Key}', which ConfigMap '{keyRef.Name}' does not have (keys: {string.Join(", ", (map.Data ?? new Dictionary<string, string>()).Keys)})");
                    }
                }
                else if (variable.ValueFrom.SecretKeyRef is { } secretRef)
                {
                    _notes.Add($"{variableField}.valueFrom.secretKeyRef: {variable.Name} from Secret '{secretRef.Name}' key '{secretRef.Key}' skipped (secrets are not resolved from a render).");
                }
                else
                {
                    _notes.Add($"{variableField}.valueFrom: {variable.Name} comes from the pod's runtime (field or resource reference); not set here.");
                }
            }

            return settings;
        }

        private List<string> EmptyDirMounts(V1PodSpec pod, V1Container container, string field)
        {
            var mounts = new List<string>();
            foreach (var (mount, index) in (container.VolumeMounts ?? []).Select((mount, index) => (mount, index)))
            {
                var volume = (pod.Volumes ?? []).FirstOrDefault(candidate => candidate.Name == mount.Name);
                if (volume?.EmptyDir is not null)
                    mounts.Add(mount.MountPath);
                else
                    _notes.Add($"{field}.volumeMounts[{index}]: volume '{mount.Name}' at {mount.MountPath} is not an emptyDir; not mounted here.");
            }

            return mounts;
        }

        private HttpProbeSpec? Probe(string kind, V1Probe? probe, string field, IReadOnlyList<ContainerPortSpec> ports)
        {
            if (probe is null)
                return null;
            var probeField = $"{field}.{kind}";
            if (probe.HttpGet is not { } httpGet)
            {
                _notes.Add($"{probeField}: not an httpGet probe; not checked over HTTP.");
                return null;
            }

            var portField = $"{probeField}.httpGet.port";
            var written = httpGet.Port?.Value ?? throw Fail(portField, "is missing");
            int number;
            if (int.TryParse(written, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var literal))
            {
                number = literal;
            }
            else
            {
                number = ports.FirstOrDefault(port => string.Equals(port.Name, written, StringComparison.Ordinal))?.Number
                    ?? throw Fail(portField, $"names port '{written}', but the container declares {(ports.Count == 0 ? "no ports" : "only " + string.Join(", ", ports.Select(port => $"{port.Name ?? "(unnamed)"}={port.Number}")))}");
            }

            if (number is < 1 or > 65535)
                throw Fail(portField, $"is {number}, not a TCP port");
            var path = string.IsNullOrEmpty(httpGet.Path) ? "/" : httpGet.Path;
            return new HttpProbeSpec(kind, path, number, written, $"{probeField}.httpGet.path", portField);
        }

        private string Known() => configMaps.Count == 0 ? " (it renders no ConfigMap)" : $" (it renders: {string.Join(", ", configMaps.Keys)})";

        private RunSpecException Fail(string field, string problem) => new($"{deployment.DisplayName} ({deployment.File}): {field} {problem}.");
    }
}

/// <summary>The chart's render does not say how to run its workload; the message names the field.</summary>
public sealed class RunSpecException(string message) : Exception(message);
