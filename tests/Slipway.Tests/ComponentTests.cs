using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class ComponentTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    public interface IGreeting : ISlipwayBuild
    {
        [Parameter("Who to greet")]
        string Audience => ParameterValue<string>(nameof(Audience)) ?? "world";

        Target Greet => _ => _
            .Description("Says hello")
            .Executes(() => Log.Info($"hello {Audience}"));

        Target Wave => _ => _
            .Executes(() => Log.Info("wave"));

        Target Everything => _ => _
            .DependsOn<IGreeting>();
    }

    public interface IFarewell : IGreeting
    {
        Target Leave => _ => _
            .DependsOn<IGreeting>()
            .Executes(() => Log.Info("leaving"));
    }

    private sealed class Extending : SlipwayBuild, IFarewell
    {
        Target Default => _ => _.DependsOn(this.From<IFarewell>().Leave);
    }

    [Fact]
    public async Task Depending_on_a_component_means_its_own_targets_not_those_of_components_extending_it()
    {
        var everything = await BuildRun.RunAsync<Extending>(_workspace, ["Everything"]);
        Assert.Equal(0, everything.ExitCode);
        Assert.Contains("hello world", everything.Output);
        Assert.DoesNotContain("leaving", everything.Output);

        var leave = await BuildRun.RunAsync<Extending>(_workspace, []);
        Assert.Equal(0, leave.ExitCode);
        Assert.True(leave.Output.IndexOf("wave", StringComparison.Ordinal) < leave.Output.IndexOf("leaving", StringComparison.Ordinal));
    }

    public interface IPolite : IGreeting
    {
        Target Bow => _ => _.Executes(() => Log.Info("bow"));

        Target IGreeting.Greet => _ => _
            .Inherit<IGreeting>(x => x.Greet)
            .DependsOn(Bow);
    }

    private sealed class Courteous : SlipwayBuild, IPolite
    {
        Target Default => _ => _.DependsOn(this.From<IGreeting>().Greet);
    }

    [Fact]
    public async Task A_component_extends_another_components_target_and_the_build_gets_the_extended_one()
    {
        var run = await BuildRun.RunAsync<Courteous>(_workspace, ["--plan"]);
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("IGreeting.Greet", run.Output);

        var executed = await BuildRun.RunAsync<Courteous>(_workspace, []);
        Assert.Equal(0, executed.ExitCode);
        Assert.True(executed.Output.IndexOf("bow", StringComparison.Ordinal) < executed.Output.IndexOf("hello world", StringComparison.Ordinal), executed.Output);
    }

    public interface ICeremonious : IPolite
    {
        Target Curtsy => _ => _.Executes(() => Log.Info("curtsy"));

        Target IGreeting.Greet => _ => _
            .Inherit<IPolite>(x => x.Greet)
            .DependsOn(Curtsy);
    }

    private sealed class Ceremonial : SlipwayBuild, ICeremonious
    {
        Target Default => _ => _.DependsOn(this.From<IGreeting>().Greet);
    }

    [Fact]
    public async Task A_component_extends_a_target_another_component_already_extended_and_keeps_both_extensions()
    {
        var run = await BuildRun.RunAsync<Ceremonial>(_workspace, []);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("bow", run.Output);
        Assert.Contains("curtsy", run.Output);
        Assert.True(run.Output.IndexOf("bow", StringComparison.Ordinal) < run.Output.IndexOf("hello world", StringComparison.Ordinal), run.Output);
    }

    private sealed class Adopting : SlipwayBuild, IGreeting
    {
        Target Default => _ => _.DependsOn<IGreeting>();
    }

    private sealed class Overriding : SlipwayBuild, IGreeting
    {
        Target IGreeting.Greet => _ => _
            .Inherit<IGreeting>(x => x.Greet)
            .Executes(() => Log.Info("and goodbye"));

        Target Default => _ => _.DependsOn(this.From<IGreeting>().Greet);
    }

    [Fact]
    public async Task A_component_target_is_adopted_with_its_default_implementation_and_parameter()
    {
        var run = await BuildRun.RunAsync<Adopting>(_workspace, ["--audience", "crew"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("hello crew", run.Output);
        Assert.Contains("wave", run.Output);
    }

    [Fact]
    public async Task A_component_parameter_falls_back_to_its_default()
    {
        var run = await BuildRun.RunAsync<Adopting>(_workspace, []);

        Assert.Contains("hello world", run.Output);
    }

    [Fact]
    public async Task A_build_overrides_a_component_target_and_extends_the_inherited_declaration()
    {
        var run = await BuildRun.RunAsync<Overriding>(_workspace, []);

        Assert.Equal(0, run.ExitCode);
        var hello = run.Output.IndexOf("hello world", StringComparison.Ordinal);
        var goodbye = run.Output.IndexOf("and goodbye", StringComparison.Ordinal);
        Assert.True(hello >= 0 && goodbye > hello, run.Output);
        Assert.DoesNotContain("wave", run.Output);
    }

    [Fact]
    public async Task Help_shows_component_targets_and_parameters()
    {
        var run = await BuildRun.RunAsync<Adopting>(_workspace, ["--help"]);

        Assert.Contains("Greet", run.Output);
        Assert.Contains("Says hello", run.Output);
        Assert.Contains("--audience <string>", run.Output);
        Assert.Contains("(default: world)", run.Output);
    }
}
