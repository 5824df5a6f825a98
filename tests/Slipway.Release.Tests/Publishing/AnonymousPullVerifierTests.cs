using System.Text;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;

namespace Slipway.Release.Tests.Publishing;

/// <summary>The anonymous verification decisions against a fake registry and a fake helm: digests, refusals by status, helm from an empty home.</summary>
public sealed class AnonymousPullVerifierTests : IDisposable
{
    private const string Reference = "ghcr.io/acme/charts/demo:1.2.3";
    private const string Image = "ghcr.io/acme/demo:1.2.3";
    private static readonly byte[] Package = Encoding.UTF8.GetBytes("the chart archive");
    private static readonly ChartPackage Chart = new("/work/artifacts/charts/demo-1.2.3.tgz", "demo", "1.2.3", OciRegistryClient.Sha256Digest(Package));
    private static readonly PublishDestination Destination = new("ghcr.io/acme", new RegistryCredentials("releaser", "token-1"), Embedded: false);

    private readonly FakeRegistry _registry = new();
    private readonly FakeHelm _helm = new() { Pull = () => Package };
    private readonly RecordingLog _log = new();
    private readonly List<string> _homes = [];
    private readonly TempDirectory _runTemporary = new();

    private AnonymousPullVerifier Verifier => new(_registry, home =>
    {
        _homes.Add(home);
        return _helm.At(home);
    }, _runTemporary.CreateDirectory, _log);

    public void Dispose() => _runTemporary.Dispose();

    [Fact]
    public async Task A_public_chart_and_image_pass_through_the_api_and_helm_from_an_empty_home()
    {
        var published = Published(_registry.HoldChart(Reference, Chart.Digest));
        var imageDigest = _registry.Hold(Image, Encoding.UTF8.GetBytes("{\"schemaVersion\":2}"));

        var pull = await Verifier.VerifyAsync(published, Chart, Destination, [(OciReference.Parse(Image), imageDigest)]);

        Assert.Equal([$"resolve {Reference} as anonymous", $"resolve {Image} as anonymous"], _registry.Calls);
        Assert.Equal(["home empty", "pull oci://ghcr.io/acme/charts/demo 1.2.3"], _helm.Calls);
        Assert.Equal(
            $"{Reference} pulled anonymously through the registry API ({published.Digest}) and helm pull ({Chart.Digest}); image {Image} ({imageDigest}) through the registry API",
            pull.Detail);
        Assert.StartsWith(Path.Combine(_runTemporary.Path, "slipway-anonymous-helm-"), Assert.Single(_homes), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Assert.Single(_homes)), "the empty helm home is deleted afterwards");
    }

    [Fact]
    public async Task A_registry_that_refuses_strangers_is_not_public_by_its_status_and_helm_is_never_asked()
    {
        var published = Published(_registry.HoldChart(Reference, Chart.Digest));
        _registry.PrivateToStrangers = true;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier.VerifyAsync(published, Chart, Destination, []));

        Assert.StartsWith($"{Reference} is not publicly pullable: ", failure.Message, StringComparison.Ordinal);
        Assert.Single(failure.Message.Split("not publicly pullable").Skip(1));
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Change visibility, Public", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_helm.Calls);
    }

    [Fact]
    public async Task Another_digest_for_strangers_fails_naming_both()
    {
        var served = _registry.HoldChart(Reference, Chart.Digest);
        var pushed = "sha256:" + new string('e', 64);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier.VerifyAsync(Published(pushed), Chart, Destination, []));

        Assert.Equal($"Anonymous pull of {Reference} gives {served}, not the pushed {pushed}.", failure.Message);
        Assert.Empty(_helm.Calls);
    }

    [Fact]
    public async Task Nothing_there_for_strangers_fails_with_the_registrys_words()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier.VerifyAsync(Published("sha256:" + new string('e', 64)), Chart, Destination, []));

        Assert.Equal($"Anonymous pull of {Reference} found nothing: {Reference} was not found (MANIFEST_UNKNOWN: manifest unknown).", failure.Message);
    }

    [Fact]
    public async Task Helm_pulling_other_bytes_fails_naming_both_digests()
    {
        var published = Published(_registry.HoldChart(Reference, Chart.Digest));
        var other = Encoding.UTF8.GetBytes("another archive");
        _helm.Pull = () => other;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier.VerifyAsync(published, Chart, Destination, []));

        Assert.Equal($"helm pull (anonymous) of {Reference} gave a chart {OciRegistryClient.Sha256Digest(other)}, not the pushed {Chart.Digest}.", failure.Message);
    }

    [Fact]
    public async Task A_helm_failure_after_the_api_served_the_chart_is_reported_as_helms_not_as_a_private_package()
    {
        var published = Published(_registry.HoldChart(Reference, Chart.Digest));
        _helm.Pull = () => throw new HelmException("helm pull failed (exit 1):\nError: failed to do request: 401 Unauthorized", 1);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier.VerifyAsync(published, Chart, Destination, []));

        Assert.StartsWith($"helm pull (anonymous) of {Reference} failed, although the registry API served it anonymously: helm pull failed (exit 1)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not publicly pullable", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Assert.Single(_homes)));
    }

    [Fact]
    public async Task A_public_image_with_another_digest_fails()
    {
        var published = Published(_registry.HoldChart(Reference, Chart.Digest));
        var served = _registry.Hold(Image, Encoding.UTF8.GetBytes("{\"schemaVersion\":2}"));
        var built = "sha256:" + new string('f', 64);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier.VerifyAsync(published, Chart, Destination, [(OciReference.Parse(Image), built)]));

        Assert.Equal($"Anonymous pull of {Image} gives {served}, not the pushed {built}.", failure.Message);
    }

    private static PublishedChart Published(string digest) => new(OciReference.Parse(Reference), digest, AlreadyPublished: false);
}
