using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>What the diagnostics of a failed run hold: the folder, a short summary for the log and the PR comment, and the files.</summary>
public sealed record DiagnosticsReport(string Directory, string Summary, IReadOnlyList<string> Files);

/// <summary>
/// Everything needed to see why a release did not come up, collected from the namespace before the teardown removes it:
/// events sorted by time, <c>describe</c> of every workload and pod, the logs of every container and init container
/// (and of the previous instance of each restarted one), <c>helm status</c> and <c>helm history</c>. Each file and the
/// whole folder are size-capped (a crash loop can log without end); a part that cannot be collected is noted and the
/// rest still collected.
/// </summary>
public sealed class DiagnosticsCollector(IKubectlCli kubectl, IHelmReleases helm, IBuildLog log)
{
    /// <summary>A log line in the summary is cut to this: a crash can print one very long line.</summary>
    private const int SummaryLine = 300;

    public int FileLimit { get; init; } = 256 * 1024;

    public int LogLimit { get; init; } = 128 * 1024;

    public int TotalLimit { get; init; } = 4 * 1024 * 1024;

    public async Task<DiagnosticsReport> CollectAsync(string inNamespace, string? release, string directory, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var writer = new CappedWriter(directory, FileLimit, TotalLimit);
        var summary = new List<string>();
        var problems = new List<string>();

        async Task Try(string what, Func<Task> collect)
        {
            try
            {
                await collect();
            }
            catch (Exception error) when (error is KubectlException or HelmException or JsonException or IOException)
            {
                problems.Add($"{what}: {error.Message}");
            }
        }

        await Try("events", async () =>
        {
            var events = Parse<Corev1EventList>(await kubectl.GetJsonAsync("events", null, inNamespace, null, cancellationToken)).Items ?? [];
            var ordered = events.OrderBy(When).ToList();
            writer.Write("events.txt", string.Join('\n', ordered.Select(EventLine)) + "\n");
            summary.AddRange(ordered.Where(item => item.Type == "Warning").Select(item => PrSmokeText.Fit(EventLine(item), SummaryLine)).Distinct().TakeLast(8));
        });

        await Try("workloads", async () =>
        {
            using var workloads = JsonDocument.Parse(await kubectl.GetJsonAsync("deployments,statefulsets,daemonsets,jobs", null, inNamespace, null, cancellationToken) ?? """{"items":[]}""");
            foreach (var item in workloads.RootElement.GetProperty("items").EnumerateArray())
            {
                var kind = item.GetProperty("kind").GetString()!;
                var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
                await Try($"describe {kind}/{name}", async () => writer.Write($"describe-{kind.ToLowerInvariant()}-{name}.txt", await kubectl.DescribeAsync(kind.ToLowerInvariant(), name, inNamespace, cancellationToken)));
            }
        });

        await Try("pods", async () =>
        {
            foreach (var pod in Parse<V1PodList>(await kubectl.GetJsonAsync("pods", null, inNamespace, null, cancellationToken)).Items ?? [])
            {
                var name = pod.Metadata.Name;
                await Try($"describe pod/{name}", async () => writer.Write($"describe-pod-{name}.txt", await kubectl.DescribeAsync("pod", name, inNamespace, cancellationToken)));
                foreach (var status in (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []))
                {
                    summary.Add(ContainerLine(name, status));
                    await Try($"logs {name}/{status.Name}", async () =>
                        writer.Write($"logs-{name}-{status.Name}.txt", await kubectl.LogsAsync(inNamespace, name, status.Name, previous: false, LogLimit, cancellationToken), keepEnd: true));
                    if (status.RestartCount > 0)
                    {
                        await Try($"previous logs {name}/{status.Name}", async () =>
                        {
                            var previous = await kubectl.LogsAsync(inNamespace, name, status.Name, previous: true, LogLimit, cancellationToken);
                            writer.Write($"logs-{name}-{status.Name}-previous.txt", previous, keepEnd: true);
                            var last = previous.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3).Select(line => PrSmokeText.Fit(line, SummaryLine)).ToList();
                            if (last.Count > 0)
                                summary.Add($"  previous {name}/{status.Name} log ends: {string.Join(" | ", last)}");
                        });
                    }
                }
            }
        });

        if (release is not null)
        {
            await Try("helm status", async () => writer.Write("helm-status.txt", await helm.StatusAsync(release, inNamespace, kubectl.Connection, cancellationToken)));
            await Try("helm history", async () => writer.Write("helm-history.txt", await helm.HistoryAsync(release, inNamespace, kubectl.Connection, cancellationToken)));
        }

        if (problems.Count > 0)
            writer.Write("collection-problems.txt", string.Join('\n', problems) + "\n");
        if (writer.Skipped.Count > 0)
            summary.Add($"{writer.Skipped.Count} files left out: the diagnostics reached {TotalLimit / (1024 * 1024)} MiB ({string.Join(", ", writer.Skipped.Take(5))})");
        summary.AddRange(problems.Select(problem => $"not collected: {problem}"));

        var text = summary.Count == 0 ? "no events, workloads or pods in the namespace" : string.Join('\n', summary);
        log.Info($"Diagnostics of {inNamespace} ({writer.Files.Count} files in {directory}):");
        foreach (var line in text.Split('\n'))
            log.Info($"  {line}");
        return new DiagnosticsReport(directory, PrSmokeText.Fit(text, PrSmokeLimits.DiagnosticsSummary), writer.Files);
    }

    private static T Parse<T>(string? json)
        where T : new() => json is null ? new T() : KubernetesJson.Deserialize<T>(json);

    private static DateTime When(Corev1Event item) =>
        item.LastTimestamp ?? item.EventTime ?? item.FirstTimestamp ?? item.Metadata?.CreationTimestamp ?? DateTime.MinValue;

    private static string EventLine(Corev1Event item)
    {
        var count = item.Count is > 1 ? $" (x{item.Count.Value.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
        var time = When(item) == DateTime.MinValue ? "-" : When(item).ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{time} {item.Type} {item.Reason} {item.InvolvedObject?.Kind?.ToLowerInvariant()}/{item.InvolvedObject?.Name}: {item.Message?.Trim()}{count}";
    }

    private static string ContainerLine(string pod, V1ContainerStatus status)
    {
        var state = status.State switch
        {
            { Waiting: { } waiting } => $"waiting: {waiting.Reason}{(string.IsNullOrWhiteSpace(waiting.Message) ? string.Empty : $" ({waiting.Message.Trim()})")}",
            { Terminated: { } terminated } => $"terminated: {terminated.Reason} (exit {terminated.ExitCode.ToString(CultureInfo.InvariantCulture)})",
            { Running: not null } => status.Ready ? "running, ready" : "running, not ready",
            _ => "unknown state",
        };
        return $"pod {pod} container {status.Name}: {state}, {status.RestartCount.ToString(CultureInfo.InvariantCulture)} restarts";
    }

    /// <summary>Writes files into the folder, each at most <paramref name="fileLimit"/> bytes, all together at most <paramref name="totalLimit"/>.</summary>
    private sealed class CappedWriter(string directory, int fileLimit, int totalLimit)
    {
        private long _written;

        public List<string> Files { get; } = [];

        public List<string> Skipped { get; } = [];

        public void Write(string name, string text, bool keepEnd = false)
        {
            var file = SafeName(name);
            var bytes = Encoding.UTF8.GetBytes(text);
            if (bytes.Length > fileLimit)
            {
                var note = Encoding.UTF8.GetBytes($"[cut to the {(keepEnd ? "last" : "first")} {fileLimit / 1024} KiB of {bytes.Length / 1024} KiB]\n");
                bytes = [.. note, .. keepEnd ? bytes[^(fileLimit - note.Length)..] : bytes[..(fileLimit - note.Length)]];
            }

            if (_written + bytes.Length > totalLimit)
            {
                Skipped.Add(file);
                return;
            }

            File.WriteAllBytes(Path.Combine(directory, file), bytes);
            _written += bytes.Length;
            Files.Add(file);
        }

        /// <summary>Object names are DNS names already; anything else becomes '_', so no name can leave the folder.</summary>
        private static string SafeName(string name) =>
            new([.. name.Select(character => char.IsAsciiLetterOrDigit(character) || character is '.' or '-' ? character : '_')]);
    }
}
