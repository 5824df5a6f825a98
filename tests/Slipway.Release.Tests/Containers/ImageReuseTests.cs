using System.Globalization;
using Slipway.Release.Containers;
using Slipway.Release.Oci;

namespace Slipway.Release.Tests.Containers;

public sealed class ImageReuseTests
{
    private const string Top = "/repo";
    private const string BaseDigest = "sha256:" + "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

    private readonly FakeSourceTree _sources = new();
    private readonly FakeReferences _references = new();
    private readonly FakeSdk _sdk = new();
    private readonly FakeImages _images = new();

    private ImageReuse Reuse => new(_sources, _references, _sdk, _images);

    private static SdkContainerRequest Request() => new(
        "/repo/src/App/App.csproj",
        OciReference.Parse("127.0.0.1:5000/app:1.2.3"),
        ContainerPlatform.Default,
        new SelectedBaseImage("127.0.0.1:5000/slipway/runtime-deps:debian12", "distroless"),
        new ImageProvenance("1.2.3", new string('1', 40), DateTimeOffset.Parse("2026-11-24T03:35:12Z", CultureInfo.InvariantCulture)))
    {
        Properties = new Dictionary<string, string> { ["AppVersion"] = "1.2.3" },
    };

    [Fact]
    public async Task An_index_annotated_with_the_same_inputs_and_every_platform_is_reused()
    {
        var hash = await HashOfAsync(Request());
        _images.Index = Index(hash);

        var decision = Assert.IsType<ReuseDecision.Reuse>(await Reuse.DecideAsync(Request()));

        Assert.Equal("sha256:1dx", decision.Image.Digest);
        Assert.Equal(hash, decision.Hash);
    }

    [Fact]
    public async Task The_hash_covers_the_project_its_references_and_the_imported_files_up_to_the_top_as_git_content()
    {
        _references.References["/repo/src/App/App.csproj"] = ["/repo/src/Lib/Lib.csproj"];
        var before = await HashOfAsync(Request());

        Assert.Contains("src/App", _sources.AskedFor);
        Assert.Contains("src/Lib", _sources.AskedFor);
        Assert.Contains("src/App/Directory.Build.props", _sources.AskedFor);
        Assert.Contains("Directory.Packages.props", _sources.AskedFor);
        Assert.Contains("global.json", _sources.AskedFor);
        Assert.DoesNotContain(_sources.AskedFor, path => path.StartsWith("..", StringComparison.Ordinal));

        _sources.Objects["src/Lib"] = "tree-of-lib-after-a-commit";
        Assert.NotEqual(before, await HashOfAsync(Request()));
        _sources.Objects["src/Lib"] = "tree-src/Lib";
        _sources.Objects["Directory.Packages.props"] = "blob-with-a-new-package-version";
        Assert.NotEqual(before, await HashOfAsync(Request()));
    }

    [Fact]
    public async Task Every_other_input_changes_the_hash()
    {
        var original = await HashOfAsync(Request());
        var changed = new List<string>
        {
            await HashOfAsync(Request() with { Properties = new Dictionary<string, string> { ["AppVersion"] = "1.2.4" } }),
            await HashOfAsync(Request() with { Platforms = [ContainerPlatform.LinuxAmd64] }),
            await HashOfAsync(Request() with { Provenance = Request().Provenance with { Revision = new string('2', 40) } }),
            await HashOfAsync(Request() with { Labels = new Dictionary<string, string> { ["team"] = "a" } }),
            await HashOfAsync(Request() with { Configuration = "Debug" }),
            await HashOfAsync(Request() with { User = 1000 }),
        };
        _sdk.Version = "10.0.402";
        changed.Add(await HashOfAsync(Request()));
        _sdk.Version = "10.0.401";
        _images.BaseDigest = "sha256:" + new string('c', 64);
        changed.Add(await HashOfAsync(Request()));

        Assert.All(changed, hash => Assert.NotEqual(original, hash));
        Assert.Equal(changed.Count, changed.Distinct().Count());
    }

    [Fact]
    public async Task The_address_of_a_loopback_registry_the_base_lives_on_is_no_input_its_digest_and_a_real_registrys_name_are()
    {
        var original = await HashOfAsync(Request());

        var onAnotherPort = await HashOfAsync(Request() with { Base = new SelectedBaseImage("127.0.0.1:41234/slipway/runtime-deps:debian12", "distroless") });
        var onGhcr = await HashOfAsync(Request() with { Base = new SelectedBaseImage("ghcr.io/acme/runtime-deps:debian12", "given") });
        var onAnotherHost = await HashOfAsync(Request() with { Base = new SelectedBaseImage("registry.example.com/acme/runtime-deps:debian12", "given") });

        Assert.Equal(original, onAnotherPort);
        Assert.NotEqual(onGhcr, onAnotherHost);
        Assert.NotEqual(original, onGhcr);
    }

    [Fact]
    public async Task A_dirty_tree_builds_and_records_no_hash_even_when_the_registry_holds_the_clean_image()
    {
        _images.Index = Index(await HashOfAsync(Request()));
        _sources.Changed.Add("src/App/Program.cs");

        var decision = Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request()));

        Assert.Null(decision.Hash);
        Assert.Contains("uncommitted changes", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("src/App/Program.cs", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_builds_and_still_records_the_hash()
    {
        var hash = await HashOfAsync(Request());
        _images.Index = Index(hash);

        var decision = Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request() with { Rebuild = true }));

        Assert.Equal(hash, decision.Hash);
        Assert.Contains("--rebuild-image", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_from_other_inputs_without_the_annotation_without_a_platform_or_missing_builds()
    {
        var hash = await HashOfAsync(Request());

        _images.Index = Index("sha256:other");
        Assert.Contains("other inputs", Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request())).Reason, StringComparison.Ordinal);
        _images.Index = Index(null);
        Assert.Contains("records no inputs", Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request())).Reason, StringComparison.Ordinal);
        _images.Index = Index(hash) with { Platforms = [new PlatformImage("linux/amd64", "sha256:a")] };
        Assert.Contains("lacks linux/arm64", Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request())).Reason, StringComparison.Ordinal);
        Assert.All(_images.IndexLookups, tag => Assert.Equal("127.0.0.1:5000/app:1.2.3", tag));
        _images.Index = null;
        Assert.Contains("no index", Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request())).Reason, StringComparison.Ordinal);
        Assert.Equal(["127.0.0.1:5000/app:1.2.3", ImageReuse.InputsTag(Request().Target, hash).ToString()], _images.IndexLookups.TakeLast(2));
    }

    [Fact]
    public async Task A_build_never_released_is_found_under_its_inputs_tag_and_reused()
    {
        var hash = await HashOfAsync(Request());
        _images.UnderInputsTag = Index(hash);

        var decision = Assert.IsType<ReuseDecision.Reuse>(await Reuse.DecideAsync(Request()));

        Assert.Equal("sha256:1dx", decision.Image.Digest);
        Assert.Equal($"127.0.0.1:5000/app:slipway-inputs-{hash["sha256:".Length..]}", ImageReuse.InputsTag(Request().Target, hash).ToString());
        _images.UnderInputsTag = Index(hash) with { Platforms = [new PlatformImage("linux/amd64", "sha256:a")] };
        Assert.Contains("lacks linux/arm64", Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request())).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_the_registry_cannot_resolve_or_a_reference_only_msbuild_expands_builds_without_a_hash()
    {
        _images.BaseDigest = null;
        var unresolved = Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request()));
        Assert.Null(unresolved.Hash);
        Assert.Contains("cannot be resolved", unresolved.Reason, StringComparison.Ordinal);

        _images.BaseDigest = BaseDigest;
        _references.Failure = new InvalidDataException("App.csproj references '$(Shared)/Lib.csproj', which only MSBuild can expand");
        var unlisted = Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request()));
        Assert.Null(unlisted.Hash);
        Assert.Contains("$(Shared)", unlisted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_outside_any_git_work_tree_builds_without_a_hash()
    {
        _images.Index = Index(await HashOfAsync(Request()));
        _sources.TopLevel = null;

        var decision = Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(Request()));

        Assert.Null(decision.Hash);
        Assert.Contains("not in a git work tree", decision.Reason, StringComparison.Ordinal);
    }

    private static ExistingIndex Index(string? hash) => new(
        "sha256:1dx",
        hash is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ImageReuse.InputsAnnotation] = hash },
        [new PlatformImage("linux/amd64", "sha256:a"), new PlatformImage("linux/arm64", "sha256:b")]);

    /// <summary>The hash a forced rebuild would record.</summary>
    private async Task<string> HashOfAsync(SdkContainerRequest request) =>
        Assert.IsType<ReuseDecision.Build>(await Reuse.DecideAsync(request with { Rebuild = true })).Hash!;

    private sealed class FakeSourceTree : ISourceTree
    {
        public Dictionary<string, string> Objects { get; } = new(StringComparer.Ordinal);

        public List<string> Changed { get; } = [];

        public List<string> AskedFor { get; } = [];

        public string? TopLevel { get; set; } = Top;

        public Task<string?> TopLevelAsync(string directory, CancellationToken cancellationToken = default) => Task.FromResult(TopLevel);

        public Task<SourceSnapshot> SnapshotAsync(string topLevel, IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
        {
            AskedFor.Clear();
            AskedFor.AddRange(paths);
            var objects = paths.Where(path => path.StartsWith("src/", StringComparison.Ordinal) && !path.Contains('.', StringComparison.Ordinal) || Objects.ContainsKey(path))
                .ToDictionary(path => path, path => Objects.TryGetValue(path, out var id) ? id : $"tree-{path}", StringComparer.Ordinal);
            return Task.FromResult(new SourceSnapshot(objects, [.. Changed]));
        }
    }

    private sealed class FakeReferences : IProjectReferences
    {
        public Dictionary<string, string[]> References { get; } = new(StringComparer.Ordinal);

        public Exception? Failure { get; set; }

        public IReadOnlyList<string> Of(string projectFile) =>
            Failure is not null ? throw Failure : References.TryGetValue(projectFile, out var references) ? references : [];
    }

    private sealed class FakeSdk : ISdkVersion
    {
        public string Version { get; set; } = "10.0.401";

        public Task<string> VersionAsync(string directory, CancellationToken cancellationToken = default) => Task.FromResult(Version);
    }

    private sealed class FakeImages : IImageLookup
    {
        public string? BaseDigest { get; set; } = ImageReuseTests.BaseDigest;

        public ExistingIndex? Index { get; set; }

        public List<string> IndexLookups { get; } = [];

        public Task<string?> DigestAsync(OciReference reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default) =>
            Task.FromResult(reference.Digest ?? BaseDigest);

        /// <summary>What the inputs' tag holds (<see cref="Index"/> is what the version's tag holds).</summary>
        public ExistingIndex? UnderInputsTag { get; set; }

        public Task<ExistingIndex?> IndexAsync(OciReference tag, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
        {
            IndexLookups.Add(tag.ToString());
            return Task.FromResult(tag.Tag!.StartsWith(ImageReuse.InputsTagPrefix, StringComparison.Ordinal) ? UnderInputsTag : Index);
        }
    }
}
