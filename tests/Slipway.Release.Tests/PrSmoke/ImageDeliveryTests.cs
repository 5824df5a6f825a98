using Slipway.Release.Helm;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class ImageDeliveryTests : IDisposable
{
    private static readonly ImagePin Pin = new("127.0.0.1:5000/beacon", "sha256:" + new string('b', 64));
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void A_render_that_deploys_the_pinned_reference_is_proven()
    {
        ImageDelivery.ProveRendered(RenderedRelease.Parse(SampleRender.Yaml(Pin.ToString()), "sample"), Pin);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/beacon:0.1.1", "renders 127.0.0.1:5000/beacon:0.1.1, not the built")]
    [InlineData("127.0.0.1:5000/beacon@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "renders 127.0.0.1:5000/beacon@sha256:cccc")]
    [InlineData("registry.example.invalid/beacon:0.1.0", "renders no image of 127.0.0.1:5000/beacon")]
    public void A_render_that_would_deploy_another_image_is_refused_naming_the_field(string rendered, string expected)
    {
        var error = Assert.Throws<PrSmokeException>(() => ImageDelivery.ProveRendered(RenderedRelease.Parse(SampleRender.Yaml(rendered), "sample"), Pin));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment/beacon-abcde-beacon spec.template.spec.containers[0].image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_init_container_of_the_same_repository_must_be_pinned_too()
    {
        var error = Assert.Throws<PrSmokeException>(() => ImageDelivery.ProveRendered(RenderedRelease.Parse(SampleRender.Yaml(Pin.ToString(), initImage: "127.0.0.1:5000/beacon:latest"), "sample"), Pin));

        Assert.Contains("initContainers[0].image renders 127.0.0.1:5000/beacon:latest", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, "0123456", "pr-7-0123456")]
    [InlineData(null, "0123456", "local-0123456")]
    public void The_pr_tag_names_the_pull_request_and_commit_never_latest(int? pullRequest, string sha, string expected) =>
        Assert.Equal(expected, ImageDelivery.PrTag(pullRequest, sha));

    [Fact]
    public async Task Loading_into_kind_writes_the_archive_naming_the_rendered_reference_then_loads_it()
    {
        var image = InMemoryImage.Create();
        var pin = new ImagePin("127.0.0.1:5000/beacon", image.IndexDigest);
        var kind = new ScriptedKind();
        var archive = _work.Combine("image.tar");

        var detail = await new ImageDelivery(new RecordingLog()).LoadIntoKindAsync(kind, "slipway-pr-7", image, pin, "pr-7-0123456", archive, CancellationToken.None);

        Assert.Equal(["load image-archive --name slipway-pr-7"], kind.Calls);
        Assert.Contains((pin.ToString(), image.IndexDigest), await OciImageArchive.NamesAsync(archive, CancellationToken.None));
        Assert.Contains($"as {pin} (the rendered reference)", detail, StringComparison.Ordinal);
    }
}
