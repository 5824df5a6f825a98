using Slipway.Release.Manifests;

namespace Slipway.Release.Tests.Manifests;

public sealed class KubeconformCheckTests
{
    [Fact]
    public async Task Absent_kubeconform_is_skipped_with_a_debug_line()
    {
        var log = new RecordingLog();
        var runner = new FakeProcessRunner(_ => throw new InvalidOperationException("nothing should run"));

        var problems = await new KubeconformCheck(runner, log, executable: null).RunIfAvailableAsync("kind: Pod", "render", null);

        Assert.Empty(problems);
        Assert.Contains(log.Lines, line => line.StartsWith("debug: kubeconform is not on PATH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kubeconform_gets_the_render_on_stdin_and_its_complaints_become_problems()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, "stdin - Deployment web is invalid: problem validating schema\n"));

        var problems = await new KubeconformCheck(runner, new RecordingLog(), "/opt/kubeconform")
            .RunIfAvailableAsync("kind: Deployment", "values/ci.yaml", new Version(1, 30));

        var command = Assert.Single(runner.Commands);
        Assert.Equal(["-strict", "-output", "text", "-kubernetes-version", "1.30.0", "-"], command.Arguments);
        Assert.Equal("kind: Deployment", command.StandardInput);
        var problem = Assert.Single(problems);
        Assert.Equal(("values/ci.yaml", "stdin - Deployment web is invalid: problem validating schema"), (problem.File, problem.Message));
    }
}
