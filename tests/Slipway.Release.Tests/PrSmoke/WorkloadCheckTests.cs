using System.Text.Json;
using Slipway.Release.Helm;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class WorkloadCheckTests
{
    private static readonly ImagePin Image = new("127.0.0.1:5000/beacon", "sha256:" + new string('a', 64));

    private static string List(params object[] items) => JsonSerializer.Serialize(new { apiVersion = "v1", kind = "List", items });

    private static object Deployment(string name, int replicas, int ready, long generation = 1, long observed = 1) => new
    {
        apiVersion = "apps/v1",
        kind = "Deployment",
        metadata = new { name, generation },
        spec = new { replicas },
        status = new { observedGeneration = observed, replicas, updatedReplicas = replicas, readyReplicas = ready, availableReplicas = ready, unavailableReplicas = replicas - ready == 0 ? (int?)null : replicas - ready },
    };

    private static object StatefulSet(string name, int ready, string current, string update) => new
    {
        apiVersion = "apps/v1",
        kind = "StatefulSet",
        metadata = new { name, generation = 1 },
        spec = new { replicas = 2 },
        status = new { observedGeneration = 1, readyReplicas = ready, updatedReplicas = 2, currentRevision = current, updateRevision = update },
    };

    private static object DaemonSet(string name, int desired, int ready) => new
    {
        apiVersion = "apps/v1",
        kind = "DaemonSet",
        metadata = new { name, generation = 1 },
        status = new { observedGeneration = 1, desiredNumberScheduled = desired, numberReady = ready, updatedNumberScheduled = desired, numberUnavailable = desired - ready },
    };

    private static object Job(string name, int succeeded, bool failed = false) => new
    {
        apiVersion = "batch/v1",
        kind = "Job",
        metadata = new { name },
        spec = new { completions = 1 },
        status = new { succeeded, conditions = failed ? new object[] { new { type = "Failed", status = "True", reason = "BackoffLimitExceeded", message = "Job has reached the specified backoff limit" } } : [] },
    };

    private static object Pod(string name, string image, string? waiting = null, int restarts = 0, string imageId = "") => new
    {
        apiVersion = "v1",
        kind = "Pod",
        metadata = new { name },
        status = new
        {
            phase = "Running",
            containerStatuses = new[]
            {
                new
                {
                    name = "beacon",
                    image,
                    imageID = imageId,
                    ready = waiting is null,
                    restartCount = restarts,
                    state = waiting is null ? (object)new { running = new { } } : new { waiting = new { reason = waiting, message = "back-off 40s restarting failed container" } },
                },
            },
        },
    };

    [Fact]
    public void Every_workload_kind_ready_passes_and_the_image_id_is_reported()
    {
        var evaluation = WorkloadCheck.Evaluate(
            List(Deployment("web", 2, 2), StatefulSet("db", 2, "db-1", "db-1"), DaemonSet("agent", 3, 3), Job("migrate", 1)),
            List(Pod("web-1", Image.ToString(), imageId: Image.ToString())),
            Image);

        Assert.Empty(evaluation.NotReady);
        Assert.Empty(evaluation.Fatal);
        Assert.Equal(4, evaluation.Ready.Count);
        Assert.Equal([Image.ToString()], evaluation.ImageIds);
    }

    [Fact]
    public void Each_kind_that_is_not_ready_says_why()
    {
        var evaluation = WorkloadCheck.Evaluate(
            List(Deployment("web", 2, 1), Deployment("new", 1, 1, generation: 2, observed: 1), StatefulSet("db", 2, "db-1", "db-2"), DaemonSet("agent", 3, 2), Job("migrate", 0)),
            List(),
            Image);

        Assert.Empty(evaluation.Fatal);
        Assert.Collection(
            evaluation.NotReady,
            line => Assert.Equal("Deployment/web 1/2: 1 of 2 replicas ready", line),
            line => Assert.Equal("Deployment/new 1/1: generation 2 not yet observed by its controller", line),
            line => Assert.Equal("StatefulSet/db 2/2: revision db-1 is not yet db-2", line),
            line => Assert.Equal("DaemonSet/agent 2/3: 2 of 3 replicas ready", line),
            line => Assert.Equal("Job/migrate 0/1 completed: 0 of 1 completions", line));
    }

    [Fact]
    public void A_crash_loop_or_a_failed_job_is_fatal_at_once()
    {
        var evaluation = WorkloadCheck.Evaluate(List(Deployment("web", 1, 1), Job("migrate", 0, failed: true)), List(Pod("web-1", Image.ToString(), "CrashLoopBackOff", restarts: 4)), Image);

        Assert.Equal(2, evaluation.Fatal.Count);
        Assert.Contains(evaluation.Fatal, line => line.StartsWith("Job/migrate: failed (BackoffLimitExceeded", StringComparison.Ordinal));
        Assert.Contains(evaluation.Fatal, line => line.Contains("pod web-1 container beacon: CrashLoopBackOff (4 restarts)", StringComparison.Ordinal));
    }

    [Fact]
    public void No_workload_at_all_is_not_ready()
    {
        var evaluation = WorkloadCheck.Evaluate(List(), List(), Image);

        Assert.Equal(["no Deployment, StatefulSet, DaemonSet or Job in the namespace"], evaluation.NotReady);
    }

    [Fact]
    public async Task Waits_for_a_rollout_that_finishes_within_the_deadline()
    {
        var time = new InstantTime();
        var polls = 0;
        var kubectl = new ScriptedKubectl
        {
            Get = (resource, _, _, _) => resource == "pods" ? List() : List(Deployment("web", 1, ++polls >= 3 ? 1 : 0)),
        };

        var detail = await new WorkloadCheck(kubectl, new RecordingLog(), time).RunAsync("ns", time.GetUtcNow().AddMinutes(1), Image, CancellationToken.None);

        Assert.Equal(3, polls);
        Assert.StartsWith("1 workloads ready (Deployment/web 1/1)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_at_the_deadline_naming_what_is_not_ready()
    {
        var time = new InstantTime();
        var kubectl = new ScriptedKubectl { Get = (resource, _, _, _) => resource == "pods" ? List() : List(Deployment("web", 1, 0)) };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => new WorkloadCheck(kubectl, new RecordingLog(), time).RunAsync("ns", time.GetUtcNow().AddSeconds(30), Image, CancellationToken.None));

        Assert.Contains("by the install deadline", error.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment/web 0/1: 0 of 1 replicas ready", error.Message, StringComparison.Ordinal);
        Assert.InRange(time.Elapsed.TotalSeconds, 30, 32);
    }

    [Fact]
    public async Task A_crash_loop_fails_without_waiting_for_the_deadline()
    {
        var time = new InstantTime();
        var kubectl = new ScriptedKubectl { Get = (resource, _, _, _) => resource == "pods" ? List(Pod("web-1", Image.ToString(), "CrashLoopBackOff", 3)) : List(Deployment("web", 1, 0)) };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => new WorkloadCheck(kubectl, new RecordingLog(), time).RunAsync("ns", time.GetUtcNow().AddMinutes(5), Image, CancellationToken.None));

        Assert.Contains("after helm reported the release deployed", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, time.Elapsed);
    }
}
