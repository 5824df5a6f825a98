using System.Text.Json;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class DiagnosticsCollectorTests : IDisposable
{
    private readonly TempDirectory _work = new();
    private readonly ScriptedKubectl _kubectl = new();
    private readonly ScriptedHelm _helm = new();

    public DiagnosticsCollectorTests()
    {
        _kubectl.Get = (resource, _, _, _) => resource switch
        {
            "events" => List(
                new { metadata = new { name = "e2" }, type = "Warning", reason = "BackOff", message = "Back-off restarting failed container beacon", count = 4, lastTimestamp = "2026-12-01T09:00:20Z", involvedObject = new { kind = "Pod", name = "web-1" } },
                new { metadata = new { name = "e1" }, type = "Normal", reason = "Scheduled", message = "Successfully assigned", count = 1, lastTimestamp = "2026-12-01T09:00:01Z", involvedObject = new { kind = "Pod", name = "web-1" } }),
            "pods" => List(new
            {
                metadata = new { name = "web-1" },
                status = new { containerStatuses = new[] { new { name = "beacon", image = "x", imageID = string.Empty, ready = false, restartCount = 3, state = new { waiting = new { reason = "CrashLoopBackOff", message = "back-off 40s" } } } } },
            }),
            _ => List(new { apiVersion = "apps/v1", kind = "Deployment", metadata = new { name = "web" } }),
        };
    }

    public void Dispose() => _work.Dispose();

    private static string List(params object[] items) => JsonSerializer.Serialize(new { apiVersion = "v1", kind = "List", items });

    [Fact]
    public async Task Collects_events_in_time_order_describes_logs_previous_logs_and_helm_and_summarises_them()
    {
        _kubectl.Logs = (_, _, previous) => previous ? "starting\nUnhandled exception: bind failed\n" : string.Empty;

        var report = await new DiagnosticsCollector(_kubectl, _helm, new RecordingLog()).CollectAsync("pr-7-abcde", "beacon-abcde", _work.Path, CancellationToken.None);

        Assert.Equal(
            ["events.txt", "describe-deployment-web.txt", "describe-pod-web-1.txt", "logs-web-1-beacon.txt", "logs-web-1-beacon-previous.txt", "helm-status.txt", "helm-history.txt"],
            report.Files);
        var events = await File.ReadAllLinesAsync(_work.Combine("events.txt"));
        Assert.Equal(["09:00:01 Normal Scheduled pod/web-1: Successfully assigned", "09:00:20 Warning BackOff pod/web-1: Back-off restarting failed container beacon (x4)"], events);
        Assert.Contains("pod web-1 container beacon: waiting: CrashLoopBackOff (back-off 40s), 3 restarts", report.Summary, StringComparison.Ordinal);
        Assert.Contains("previous web-1/beacon log ends: starting | Unhandled exception: bind failed", report.Summary, StringComparison.Ordinal);
        Assert.Contains("Warning BackOff", report.Summary, StringComparison.Ordinal);
        Assert.Equal(["status beacon-abcde", "history beacon-abcde"], _helm.Calls);
    }

    [Fact]
    public async Task Every_file_and_the_whole_folder_are_size_capped_keeping_the_end_of_logs()
    {
        _kubectl.Logs = (_, _, previous) => new string('x', 40_000) + (previous ? "LAST PREVIOUS LINE\n" : "LAST LINE\n");

        var report = await new DiagnosticsCollector(_kubectl, _helm, new RecordingLog()) { FileLimit = 10_000, TotalLimit = 12_000 }.CollectAsync("ns", "rel", _work.Path, CancellationToken.None);

        Assert.All(Directory.GetFiles(_work.Path), file => Assert.InRange(new FileInfo(file).Length, 0, 10_000));
        Assert.InRange(Directory.GetFiles(_work.Path).Sum(file => new FileInfo(file).Length), 0, 12_000);
        Assert.True(report.Summary.Contains("files left out: the diagnostics reached", StringComparison.Ordinal), report.Summary + "\nFILES: " + string.Join(",", report.Files));
        var log = report.Files.FirstOrDefault(file => file == "logs-web-1-beacon.txt");
        if (log is not null)
            Assert.EndsWith("LAST LINE\n", await File.ReadAllTextAsync(_work.Combine(log)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_part_that_cannot_be_collected_is_noted_and_the_rest_still_collected()
    {
        _kubectl.Describe = (resource, _) => resource == "pod" ? throw ScriptedKubectl.NotFound("pods \"web-1\"") : "described";

        var report = await new DiagnosticsCollector(_kubectl, _helm, new RecordingLog()).CollectAsync("ns", null, _work.Path, CancellationToken.None);

        Assert.Contains("collection-problems.txt", report.Files);
        Assert.Contains("not collected: describe pod/web-1", report.Summary, StringComparison.Ordinal);
        Assert.Contains("logs-web-1-beacon.txt", report.Files);
        Assert.Empty(_helm.Calls);
    }
}
