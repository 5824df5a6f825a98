using System.Globalization;
using Slipway.Release.Containers;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

public sealed class SdkContainerBuildTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static SdkContainerRequest Request(string registry = "127.0.0.1:5000") => new(
        "/repo/src/App/App.csproj",
        OciReference.Parse($"{registry}/app:1.2.3"),
        ContainerPlatform.Default,
        new SelectedBaseImage("127.0.0.1:5000/slipway/runtime-deps@sha256:" + new string('a', 64), "distroless"),
        new ImageProvenance("1.2.3", Sha, DateTimeOffset.Parse("2026-11-24T05:35:12+02:00", CultureInfo.InvariantCulture), "https://example.com/org/repo"))
    {
        Properties = new Dictionary<string, string> { ["AppVersion"] = "1.2.3", ["Odd"] = "a;b%c" },
    };

    [Fact]
    public void The_command_builds_every_platform_into_an_archive_on_the_chosen_base_as_the_numeric_user()
    {
        var secrets = new SecretRegistry();
        var build = new SdkContainerBuild(new FakeProcessRunner(_ => FakeProcessRunner.Exit(0)), new OciRegistryClient(new HttpClient(), secrets, new RecordingLog()), secrets, new RecordingLog());

        var command = build.Command(Request(), "/tmp/labels.targets", "/tmp/image.tar");

        Assert.Equal("dotnet", command.FileName);
        Assert.Equal(["publish", "/repo/src/App/App.csproj", "-c", "Release", "-t:PublishContainer"], command.Arguments.Take(5));
        Assert.Contains("-p:ContainerRuntimeIdentifiers=\"linux-x64;linux-arm64\"", command.Arguments);
        // The SDK writes an archive and pushes nothing: ImageNormalizer pushes the pinned image once.
        Assert.Contains("-p:ContainerArchiveOutputPath=/tmp/image.tar", command.Arguments);
        Assert.DoesNotContain(command.Arguments, argument => argument.StartsWith("-p:ContainerRegistry=", StringComparison.Ordinal));
        Assert.Contains("-p:ContainerRepository=app", command.Arguments);
        Assert.Contains("-p:ContainerImageTags=1.2.3", command.Arguments);
        Assert.Contains("-p:ContainerBaseImage=127.0.0.1:5000/slipway/runtime-deps@sha256:" + new string('a', 64), command.Arguments);
        Assert.Contains("-p:ContainerUser=10001", command.Arguments);
        // Source paths mapped to /_/: the same commit builds the same binaries from any clone path.
        Assert.Contains("-p:ContinuousIntegrationBuild=true", command.Arguments);
        Assert.Contains("-p:ContainerGenerateLabelsImageCreated=false", command.Arguments);
        Assert.Contains("-p:CustomAfterMicrosoftCommonTargets=/tmp/labels.targets", command.Arguments);
        Assert.Contains("-p:AppVersion=1.2.3", command.Arguments);
        Assert.Contains("-p:Odd=a%3Bb%25c", command.Arguments);
        Assert.Equal("127.0.0.1:5000", command.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"]);
        Assert.False(command.Environment.ContainsKey("DOTNET_CONTAINER_REGISTRY_PWORD"));
    }

    [Fact]
    public void Credentials_go_to_the_environment_as_pull_secrets_when_the_base_lives_on_the_target_registry()
    {
        var secrets = new SecretRegistry();
        var build = new SdkContainerBuild(new FakeProcessRunner(_ => FakeProcessRunner.Exit(0)), new OciRegistryClient(new HttpClient(), secrets, new RecordingLog()), secrets, new RecordingLog());
        var request = Request("registry.example.com") with
        {
            Base = new SelectedBaseImage("registry.example.com/slipway/runtime-deps@sha256:" + new string('a', 64), "distroless"),
            Credentials = new RegistryCredentials("ci", "Pa55-word-secret"),
        };

        var command = build.Command(request, "/tmp/labels.targets", "/tmp/image.tar");

        // The SDK only pulls (Slipway pushes), and it reads the unprefixed variables only for a push.
        Assert.Equal("ci", command.Environment["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"]);
        Assert.Equal("Pa55-word-secret", command.Environment["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"]);
        Assert.False(command.Environment.ContainsKey("DOTNET_CONTAINER_REGISTRY_PWORD"));
        Assert.False(command.Environment.ContainsKey("DOTNET_CONTAINER_INSECURE_REGISTRIES"));
        Assert.DoesNotContain("Pa55-word-secret", command.ToString(), StringComparison.Ordinal);
        Assert.Equal("***", secrets.Redact("Pa55-word-secret"));
    }

    [Fact]
    public void The_target_registry_login_is_not_handed_out_for_a_base_on_another_registry()
    {
        var secrets = new SecretRegistry();
        var build = new SdkContainerBuild(new FakeProcessRunner(_ => FakeProcessRunner.Exit(0)), new OciRegistryClient(new HttpClient(), secrets, new RecordingLog()), secrets, new RecordingLog());
        var request = Request("registry.example.com") with
        {
            Base = new SelectedBaseImage(BaseImageSelection.MicrosoftDefault, "default"),
            Credentials = new RegistryCredentials("ci", "Pa55-word-secret"),
        };

        var command = build.Command(request, "/tmp/labels.targets", "/tmp/image.tar");

        Assert.DoesNotContain(command.Environment.Values, value => value == "Pa55-word-secret");
    }

    [Fact]
    public void Labels_carry_the_commit_time_in_utc_revision_version_source_and_base_and_survive_msbuild_escaping()
    {
        var request = Request() with { Labels = new Dictionary<string, string> { ["com.example.note"] = "a;b:c $(x) @(y) 100% <&>" } };

        var labels = SdkContainerBuild.Labels(request);
        var targets = SdkContainerBuild.LabelsTargets(labels);

        Assert.Equal("2026-11-24T03:35:12Z", labels["org.opencontainers.image.created"]);
        Assert.Equal(Sha, labels["org.opencontainers.image.revision"]);
        Assert.Equal("1.2.3", labels["org.opencontainers.image.version"]);
        Assert.Equal("https://example.com/org/repo", labels["org.opencontainers.image.source"]);
        // A base on a loopback registry is not named: its address is a port of this run (the SDK labels the base's digest).
        Assert.False(labels.ContainsKey("org.opencontainers.image.base.name"));
        Assert.Contains("Condition=\"'$(_IsSingleRIDBuild)' == 'true'\"", targets, StringComparison.Ordinal);
        Assert.Contains("Value=\"a%3Bb:c %24(x) %40(y) 100%25 &lt;&amp;&gt;\"", targets, StringComparison.Ordinal);
        Assert.Contains("<ContainerLabel Include=\"org.opencontainers.image.source\" Value=\"https://example.com/org/repo\" />", targets, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_on_a_real_registry_keeps_its_name()
    {
        var remote = Request() with { Base = new SelectedBaseImage("ghcr.io/acme/runtime-deps@sha256:" + new string('b', 64), "given") };

        var labels = SdkContainerBuild.Labels(remote);

        Assert.Equal(remote.Base.Reference, labels["org.opencontainers.image.base.name"]);
    }

    [Fact]
    public void Platforms_are_read_from_an_index()
    {
        var index = """
            {"schemaVersion":2,"manifests":[
              {"digest":"sha256:1111","platform":{"os":"linux","architecture":"amd64"}},
              {"digest":"sha256:2222","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"digest":"sha256:3333","annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
            """u8.ToArray();

        Assert.Equal([new PlatformImage("linux/amd64", "sha256:1111"), new PlatformImage("linux/arm64", "sha256:2222")], SdkContainerBuild.ReadPlatforms(index));
    }
}
