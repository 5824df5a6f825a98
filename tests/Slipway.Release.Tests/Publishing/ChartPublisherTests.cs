using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;

namespace Slipway.Release.Tests.Publishing;

/// <summary>The chart push decisions against a fake registry and a fake helm: no-op, refuse naming both digests, push and read back.</summary>
public sealed class ChartPublisherTests
{
    private const string Reference = "ghcr.io/acme/charts/demo:1.2.3";
    private static readonly string Built = "sha256:" + new string('a', 64);
    private static readonly string Other = "sha256:" + new string('b', 64);
    private static readonly ChartPackage Chart = new("/work/artifacts/charts/demo-1.2.3.tgz", "demo", "1.2.3", Built);
    private static readonly PublishDestination Destination = new("ghcr.io/acme", new RegistryCredentials("releaser", "token-1"), Embedded: false);

    private readonly FakeRegistry _registry = new();
    private readonly FakeHelm _helm = new();
    private readonly RecordingLog _log = new();

    private ChartPublisher Publisher => new(_registry, _helm, _log);

    [Fact]
    public async Task The_same_chart_already_under_the_version_is_a_no_op_with_its_digest()
    {
        var manifest = _registry.HoldChart(Reference, Built);

        var plan = await Publisher.PlanAsync(Chart, Destination, []);
        var published = await Publisher.PushAsync(plan);

        Assert.Equal(new ChartPushPlan.AlreadyPublished(Chart, Destination, OciReference.Parse(Reference), manifest), plan);
        Assert.Equal(new PublishedChart(OciReference.Parse(Reference), manifest, AlreadyPublished: true), published);
        Assert.Empty(_helm.Calls);
        Assert.Contains($"info: {Reference} is already published with the same content ({manifest}): nothing to push.", _log.Lines);
    }

    [Fact]
    public async Task Another_chart_under_the_version_is_refused_naming_both_digests_before_anything_is_pushed()
    {
        var manifest = _registry.HoldChart(Reference, Other);

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PlanAsync(Chart, Destination, []));

        Assert.Contains($"Refusing to overwrite {Reference}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"The registry has chart {Other} (manifest {manifest}); this build made {Built}", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(_helm.Calls);
    }

    [Fact]
    public async Task A_free_version_is_pushed_after_login_and_its_digest_is_read_back_from_the_registry()
    {
        _helm.Push = _ => new HelmPushResult(Reference, _registry.HoldChart(Reference, Built));

        var plan = await Publisher.PlanAsync(Chart, Destination, []);
        var published = await Publisher.PushAsync(plan);

        Assert.IsType<ChartPushPlan.Push>(plan);
        Assert.Equal(["login ghcr.io releaser", "push demo-1.2.3.tgz oci://ghcr.io/acme/charts", "logout ghcr.io"], _helm.Calls);
        Assert.Equal(
            [$"resolve {Reference} as releaser", $"resolve {Reference} as releaser"],
            _registry.Calls);
        Assert.Equal(new PublishedChart(OciReference.Parse(Reference), OciRegistryClient.Sha256Digest(FakeRegistry.ChartManifest(Built)), AlreadyPublished: false), published);
    }

    [Fact]
    public async Task Without_credentials_there_is_no_login()
    {
        _helm.Push = _ => new HelmPushResult(Reference, _registry.HoldChart(Reference, Built));

        await Publisher.PublishAsync(Chart, Destination with { Credentials = null });

        Assert.Equal(["push demo-1.2.3.tgz oci://ghcr.io/acme/charts"], _helm.Calls);
    }

    [Fact]
    public async Task A_read_back_digest_other_than_helms_fails_naming_both()
    {
        _helm.Push = _ =>
        {
            _registry.HoldChart(Reference, Built);
            return new HelmPushResult(Reference, Other);
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PublishAsync(Chart, Destination));

        var served = OciRegistryClient.Sha256Digest(FakeRegistry.ChartManifest(Built));
        Assert.Equal($"The registry serves {Reference} as {served} (chart {Built}), but helm pushed {Other} (chart {Built}).", failure.Message);
    }

    [Fact]
    public async Task A_read_back_chart_other_than_the_built_one_fails_naming_both()
    {
        _helm.Push = _ => new HelmPushResult(Reference, _registry.HoldChart(Reference, Other));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PublishAsync(Chart, Destination));

        Assert.Contains($"(chart {Other}), but helm pushed", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(chart {Built}).", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_the_registry_does_not_serve_back_fails()
    {
        _helm.Push = _ => new HelmPushResult(Reference, Built);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PublishAsync(Chart, Destination));

        Assert.StartsWith($"helm pushed {Reference}, but the registry does not serve it back: {Reference} was not found", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_image_tag_is_refused_with_the_chart_plan_naming_both_digests_and_nothing_is_pushed()
    {
        var tag = OciReference.Parse("ghcr.io/acme/demo:1.2.3");
        var held = _registry.Hold(tag.ToString(), "{\"manifests\":[]}"u8.ToArray());
        var rid = OciReference.Parse("ghcr.io/acme/demo:1.2.3-linux-x64");
        _registry.Hold(rid.ToString(), "{\"layers\":[]}"u8.ToArray());

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PlanAsync(
            Chart, Destination, [new ReleaseTag(tag, Other), new ReleaseTag(rid, FakeRegistry.DigestOf("{\"layers\":[]}"))]));

        Assert.StartsWith($"Refusing to move {tag}: it names {held}, and this build made {Other}. A published version is immutable", refusal.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was pushed or tagged.", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(_helm.Calls);
        Assert.DoesNotContain(_registry.Calls, call => call.StartsWith("put", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_taken_chart_and_a_taken_tag_are_refused_together()
    {
        _registry.HoldChart(Reference, Other);
        var tag = OciReference.Parse("ghcr.io/acme/demo:1.2.3");
        _registry.Hold(tag.ToString(), "{}"u8.ToArray());

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PlanAsync(Chart, Destination, [new ReleaseTag(tag, Built)]));

        Assert.Contains($"Refusing to overwrite {Reference}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"Refusing to move {tag}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plan_carries_each_tag_as_free_or_already_set()
    {
        var free = new ReleaseTag(OciReference.Parse("ghcr.io/acme/demo:1.2.3"), Built);
        var set = new ReleaseTag(OciReference.Parse("ghcr.io/acme/demo:1.2.3-linux-x64"), _registry.Hold("ghcr.io/acme/demo:1.2.3-linux-x64", "{}"u8.ToArray()));

        var plan = await Publisher.PlanAsync(Chart, Destination, [free, set]);

        Assert.Equal([new TagDecision.Set(free), new TagDecision.AlreadySet(set)], plan.Tags);
        Assert.Contains("info: Planned: ghcr.io/acme/demo:1.2.3 is free; ImageTag sets it to " + Built + " after the chart", _log.Lines);
    }

    [Fact]
    public async Task A_failed_helm_push_says_what_the_registry_holds_now_and_which_tags_are_not_set()
    {
        _helm.Push = _ => throw new HelmException("Error: failed to perform \"Push\" on destination: 503 Service Unavailable", 1);
        var tag = new ReleaseTag(OciReference.Parse("ghcr.io/acme/demo:1.2.3"), Built);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Publisher.PushAsync(await Publisher.PlanAsync(Chart, Destination, [tag])));

        Assert.StartsWith($"helm could not push {Reference}: Error: failed to perform", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["login ghcr.io releaser", "push demo-1.2.3.tgz oci://ghcr.io/acme/charts", "logout ghcr.io"], _helm.Calls);
        Assert.Contains($"The registry holds nothing under {Reference}. Not tagged yet: ghcr.io/acme/demo:1.2.3 (the image is in the registry by digest only).", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("Next step: publish this commit again once the registry answers; what is published already is a no-op.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_stopped_after_the_registry_stored_the_chart_says_so_logs_out_and_stays_cancelled()
    {
        using var stop = new CancellationTokenSource();
        _helm.Push = _ =>
        {
            _registry.HoldChart(Reference, Built);
            stop.Cancel();
            throw new OperationCanceledException(stop.Token);
        };
        var plan = await Publisher.PlanAsync(Chart, Destination, [new ReleaseTag(OciReference.Parse("ghcr.io/acme/demo:1.2.3"), Built)]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Publisher.PushAsync(plan, stop.Token));

        Assert.Equal("logout ghcr.io", _helm.Calls[^1]);
        Assert.Contains(_log.Lines, line => line.StartsWith($"warning: Stopped while helm pushed {Reference}. The registry holds {Reference} now (", StringComparison.Ordinal)
            && line.Contains("helm's push got through before the stop. Not tagged yet: ghcr.io/acme/demo:1.2.3", StringComparison.Ordinal)
            && line.EndsWith("Next step: publish this commit again when you are ready; what is published already is a no-op.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_helm_push_that_failed_after_the_registry_stored_the_chart_says_so()
    {
        _helm.Push = _ =>
        {
            _registry.HoldChart(Reference, Built);
            throw new HelmException("Error: unexpected EOF", 1);
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PublishAsync(Chart, Destination));

        Assert.Contains($"The registry holds {Reference} now (", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"chart {Built}): helm's push got through before it failed.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_refuses_to_say_whether_the_version_exists_fails_the_plan()
    {
        _registry.PrivateToStrangers = true;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Publisher.PlanAsync(Chart, Destination with { Credentials = null }, []));

        Assert.StartsWith($"The registry refused to show whether {Reference} exists: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_helm.Calls);
    }
}
