using System.Runtime.Versioning;
using Slipway.Release.Containers;
using Slipway.Release.Smoke;

namespace Slipway.Release.Tests.Smoke;

/// <summary>How the chart's container spec combines with the image config, as Kubernetes combines them.</summary>
public sealed class ImageRunnerRulesTests
{
    private static readonly ImageConfig Image = new()
    {
        Architecture = "amd64",
        Entrypoint = ["/app/server"],
        Cmd = ["--default"],
        Env = ["PATH=/usr/bin:/bin", "PORT=80", "ONLY_IMAGE=yes"],
    };

    [Fact]
    [SupportedOSPlatform("linux")]
    public void A_folder_above_the_root_that_others_cannot_pass_is_found_so_the_qemu_run_is_refused_naming_it()
    {
        using var temporary = new TempDirectory();
        var root = Directory.CreateDirectory(temporary.Combine("private", "run", "rootfs")).FullName;
        var privateFolder = temporary.Combine("private");

        File.SetUnixFileMode(privateFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(privateFolder, ImageRunner.ClosedAncestor(root));

        foreach (var folder in new[] { temporary.Path, privateFolder, temporary.Combine("private", "run") })
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        var closed = ImageRunner.ClosedAncestor(root);
        Assert.True(closed is null || !closed.StartsWith(temporary.Path, StringComparison.Ordinal), $"found {closed}");
    }

    [Fact]
    public void Without_command_or_args_the_image_entrypoint_and_cmd_run()
    {
        Assert.Equal(["/app/server", "--default"], ImageRunner.Argv(Image, Spec()));
    }

    [Fact]
    public void Args_replace_cmd_and_command_replaces_entrypoint_and_drops_cmd()
    {
        Assert.Equal(["/app/server", "--serve"], ImageRunner.Argv(Image, Spec() with { Args = ["--serve"] }));
        Assert.Equal(["/bin/other"], ImageRunner.Argv(Image, Spec() with { Command = ["/bin/other"] }));
        Assert.Equal(["/bin/other", "-x"], ImageRunner.Argv(Image, Spec() with { Command = ["/bin/other"], Args = ["-x"] }));
    }

    [Fact]
    public void Nothing_to_run_names_the_command_field()
    {
        var error = Assert.Throws<ImageRunException>(() => ImageRunner.Argv(Image with { Entrypoint = [], Cmd = [] }, Spec()));

        Assert.Contains("spec.template.spec.containers[0].command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_env_wins_over_the_image_env_and_the_last_setting_of_a_name_counts()
    {
        var spec = Spec() with
        {
            Environment = [new EnvSetting("PORT", "8080", "ConfigMap app key PORT"), new EnvSetting("PORT", "9090", "spec.template.spec.containers[0].env[0]")],
        };

        var environment = ImageRunner.Environment(Image, spec);

        Assert.Equal("9090", environment["PORT"]);
        Assert.Equal("yes", environment["ONLY_IMAGE"]);
        Assert.Equal("/usr/bin:/bin", environment["PATH"]);
        Assert.False(environment.ContainsKey("HOME")); // nothing from this machine
    }

    private static RunSpec Spec() => new()
    {
        WorkloadName = "app",
        ContainerName = "app",
        ContainerField = "spec.template.spec.containers[0]",
        Environment = [],
        Ports = [],
        Notes = [],
    };
}
