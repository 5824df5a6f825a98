using Slipway.Execution;
using Slipway.Release.Containers;
using Slipway.Release.PrSmoke;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class PrSmokeRecorderTests
{
    private static readonly PrSmokeIdentity Identity = new("acme/widgets", 7, PrSmokeSamples.Sha, "0.1.1-pr.7.3.g0123456", null);

    private readonly InstantTime _time = new();

    [Fact]
    public async Task A_failed_step_is_recorded_with_its_error_and_the_later_steps_as_not_reached()
    {
        var record = new PrSmokeRecorder(_time);
        await record.StepAsync(PrSmokeStepName.Cluster, () => { _time.Advance(TimeSpan.FromSeconds(2)); return Task.FromResult((1, "context kind-x")); }, CancellationToken.None);
        await Assert.ThrowsAsync<PrSmokeException>(() => record.StepAsync<int>(PrSmokeStepName.Load, () => throw new PrSmokeException("kind load failed"), CancellationToken.None));

        var result = record.ToResult(Identity);

        Assert.Equal(PrSmokeStatus.Failed, result.Status);
        var steps = result.Steps.ToDictionary(step => step.Name);
        Assert.Equal((PrSmokeStepStatus.Passed, TimeSpan.FromSeconds(2), "context kind-x"), (steps[PrSmokeStepName.Cluster].Status, steps[PrSmokeStepName.Cluster].Duration, steps[PrSmokeStepName.Cluster].Detail));
        Assert.Equal((PrSmokeStepStatus.Failed, "kind load failed"), (steps[PrSmokeStepName.Load].Status, steps[PrSmokeStepName.Load].Detail));
        Assert.Equal("not reached: load failed", steps[PrSmokeStepName.Install].Detail);
        Assert.Equal("not reached: load failed", steps[PrSmokeStepName.Diagnostics].Detail);
        Assert.Equal("nothing was created", steps[PrSmokeStepName.Teardown].Detail);
        // What the recorder builds must be what the result contract accepts.
        Assert.Equal(result, PrSmokeResult.Read(System.Text.Encoding.UTF8.GetBytes(result.ToJson()), "test"));
    }

    [Fact]
    public async Task Only_a_run_whose_smoke_passed_and_nothing_failed_passes()
    {
        var record = new PrSmokeRecorder(_time);
        foreach (var step in new[] { PrSmokeStepName.Cluster, PrSmokeStepName.Load, PrSmokeStepName.Namespace, PrSmokeStepName.Install, PrSmokeStepName.Workloads, PrSmokeStepName.Smoke })
            await record.StepAsync(step, () => Task.FromResult((0, "ok")), CancellationToken.None);
        record.RecordImage(new TargetOutcome("ImageBuild", TargetStatus.Succeeded, null, TimeSpan.Zero, TimeSpan.FromSeconds(11)), new BuiltImage("r/beacon@" + PrSmokeSamples.Digest, "r/beacon:1", PrSmokeSamples.Digest, [new PlatformImage("linux/amd64", PrSmokeSamples.Digest)], "base", "base"), null);
        Assert.Equal(PrSmokeStatus.Passed, record.ToResult(Identity).Status);

        record.Record(PrSmokeStepName.Teardown, PrSmokeStepStatus.Failed, TimeSpan.FromSeconds(1), "namespace stuck");
        Assert.Equal(PrSmokeStatus.Failed, record.ToResult(Identity).Status);
    }

    [Fact]
    public async Task A_signal_makes_the_run_cancelled_and_its_step_cancelled()
    {
        var record = new PrSmokeRecorder(_time);
        using var signal = new CancellationTokenSource();
        record.WatchCancellation(signal.Token);
        var install = record.StepAsync<int>(PrSmokeStepName.Install, async () => { await Task.Delay(Timeout.Infinite, signal.Token); return (0, string.Empty); }, signal.Token);

        await signal.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => install);

        Assert.True(record.Cancelled);
        var result = record.ToResult(Identity);
        Assert.Equal(PrSmokeStatus.Cancelled, result.Status);
        Assert.Equal(PrSmokeStepStatus.Cancelled, result.Steps.Single(step => step.Name == PrSmokeStepName.Install).Status);
    }

    [Fact]
    public void A_step_recorded_twice_adds_up_and_keeps_the_worse_status()
    {
        var record = new PrSmokeRecorder(_time);
        record.Record(PrSmokeStepName.Image, PrSmokeStepStatus.Passed, TimeSpan.FromSeconds(10), "built");
        record.Record(PrSmokeStepName.Image, PrSmokeStepStatus.Failed, TimeSpan.FromSeconds(1), "ChartPackage failed: lint");

        var step = record.StepOf(PrSmokeStepName.Image)!;

        Assert.Equal((PrSmokeStepStatus.Failed, TimeSpan.FromSeconds(11), "built; ChartPackage failed: lint"), (step.Status, step.Duration, step.Detail));
    }

    [Fact]
    public void The_image_step_says_why_the_engine_did_not_run_it()
    {
        var record = new PrSmokeRecorder(_time);
        record.RecordImage(new TargetOutcome("ImageBuild", TargetStatus.NotRun, "ChartLint failed", TimeSpan.Zero, TimeSpan.Zero), null, new TargetOutcome("ChartPackage", TargetStatus.NotRun, "ImageBuild did not run", TimeSpan.Zero, TimeSpan.Zero));

        var step = record.StepOf(PrSmokeStepName.Image)!;

        Assert.Equal(PrSmokeStepStatus.Skipped, step.Status);
        Assert.Equal("ImageBuild not run: ChartLint failed; ChartPackage not run: ImageBuild did not run", step.Detail);
    }
}
