using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Slipway.Execution;
using Slipway.Hosts;
using Slipway.Logging;
using Slipway.Parameters;
using Slipway.Planning;
using Slipway.Processes;
using Slipway.Secrets;
using Slipway.Text;

namespace Slipway;

/// <summary>The base of a build class: <c>public static int Main(string[] args) => Execute&lt;Build&gt;(args, x => x.Ci);</c>.</summary>
public abstract class SlipwayBuild : ISlipwayBuild
{
    [Parameter("Targets to skip; with no names, every target not named on the command line")]
    protected readonly string[]? Skip;

    [Parameter("How many targets may run at once"), Range(Minimum = 1, Maximum = 1024)]
    protected readonly int MaxParallel = Environment.ProcessorCount;

    [Parameter("Seconds that stopping and cleanups get after SIGINT or SIGTERM"), Range(Minimum = 1, Maximum = 3600)]
    protected readonly int CancellationBudget = 7;

    [Parameter("Also print debug lines")]
    protected readonly bool Verbose;

    private BuildOutput? _output;
    private BuildModel? _model;
    private Executor? _executor;
    private ExecutionPlan? _plan;
    private EngineEnvironment? _environment;
    private RunScope? _scope;
    private IReadOnlyDictionary<string, object?> _parameterValues = new Dictionary<string, object?>();
    private IReadOnlyDictionary<string, ParameterSource> _parameterSources = new Dictionary<string, ParameterSource>();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Lazy<object>> _shared = new();

    public string RootDirectory { get; private set; } = Directory.GetCurrentDirectory();

    public IBuildLog Log => new CurrentLog(Output);

    public IProcessRunner Processes => new ProcessRunner(Log, Secrets, _scope?.ChildEnvironment);

    public string TemporaryDirectory => _scope?.TemporaryDirectory ?? throw new InvalidOperationException("The run's temp folder exists only while targets run.");

    public SecretRegistry Secrets { get; } = new();

    public BuildHost Host => Output.Host;

    public RunReport Report { get; } = new();

    private BuildOutput Output => _output ?? throw new InvalidOperationException("The build has not started.");

    public static int Execute<T>(string[] args, Expression<Func<T, Target>> defaultTarget)
        where T : SlipwayBuild, new()
    {
        // Orphaned grandchildren (double forks, setsid) then re-parent to this process, so the run can still stop them.
        LeftoverProcesses.BecomeChildSubreaper();
        var environment = EngineEnvironment.FromProcess() with { OwnsProcess = true };
        using var signals = new RunSignals();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, ExitCodes.Interrupted));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, ExitCodes.Terminated));
        var exitCode = new T().RunAsync(args, MemberName(defaultTarget), environment, signals).GetAwaiter().GetResult();
        return signals.ExitCode ?? exitCode;

        void OnSignal(PosixSignalContext context, int code)
        {
            // The run decides when to end, even on a second signal: its process trees and temp state must go first.
            context.Cancel = true;
            signals.Receive(context.Signal.ToString(), code);
        }
    }

    public T ResultOf<T>(Target target)
        where T : notnull
    {
        var producer = Model.Resolve(target);
        CheckReadable(producer);
        return Executor.Results.TryGetValue(producer, out var value)
            ? value is T typed ? typed : throw new InvalidOperationException($"{producer.Name} produced a {value.GetType().Name}, not a {typeof(T).Name}.")
            : throw new InvalidOperationException($"{producer.Name} has produced no result (it was skipped, failed or has not run).");
    }

    public T? TryResultOf<T>(Target target)
        where T : class
    {
        var producer = Model.Resolve(target);
        CheckReadable(producer);
        return Executor.Results.TryGetValue(producer, out var value) ? value as T : null;
    }

    public TargetOutcome OutcomeOf(Target target)
    {
        var producer = Model.Resolve(target);
        CheckReadable(producer);
        return Executor.OutcomeOf(producer) ?? throw new InvalidOperationException($"{producer.Name} has not finished.");
    }

    public bool IsPlanned(Target target) => _plan is { } plan && plan.Targets.Contains(Model.Resolve(target));

    public string? Variable(string name) => _environment?.Variable(name);

    public T? ParameterValue<T>(string name) =>
        _parameterValues.TryGetValue(name, out var value) && value is T typed ? typed : default;

    public ParameterSource ParameterSourceOf(string name) => _parameterSources.GetValueOrDefault(name) ?? ParameterSource.Default;

    public T Shared<T>(Func<T> create)
        where T : class =>
        (T)_shared.GetOrAdd(typeof(T), _ => new Lazy<object>(create)).Value;

    /// <summary>The content of <c>.nuke/build.schema.json</c> for this build: targets and parameters, for editor completion.</summary>
    public string GenerateBuildSchema() => BuildSchema.Generate(Model);

    private BuildModel Model => _model ?? throw new InvalidOperationException("The build has not started.");

    private Executor Executor => _executor ?? throw new InvalidOperationException("No target is running.");

    /// <summary>Runs this build in-process, as <c>./build.sh</c> would; returns the exit code. Cancelling the token acts as SIGINT.</summary>
    public Task<int> InvokeAsync(BuildInvocation invocation, CancellationToken cancellation = default) =>
        RunAsync(
            invocation.Arguments,
            invocation.DefaultTarget,
            new EngineEnvironment(invocation.Output, invocation.Environment, invocation.WorkingDirectory, IsTerminal: false),
            cancellation);

    internal async Task<int> RunAsync(IReadOnlyList<string> args, string defaultTarget, EngineEnvironment environment, CancellationToken cancellation)
    {
        using var signals = RunSignals.From(cancellation);
        return await RunAsync(args, defaultTarget, environment, signals);
    }

    internal async Task<int> RunAsync(IReadOnlyList<string> args, string defaultTarget, EngineEnvironment environment, RunSignals signals)
    {
        _environment = environment;
        CommandLine commandLine;
        try
        {
            RootDirectory = environment.FindRoot();
            _model = BuildModel.Discover(this);
            commandLine = CommandLine.Parse(args);
        }
        catch (Exception exception) when (exception is ParameterException or InvalidOperationException)
        {
            environment.Output.WriteLine($"error: {exception.Message}");
            return ExitCodes.Usage;
        }

        var defaults = _model.Parameters.ToDictionary(parameter => parameter.Name, parameter => ParameterBinder.Read(this, parameter.Member));
        if (commandLine.Help)
        {
            environment.Output.Write(Usage.Help(_model, defaults, defaultTarget));
            return ExitCodes.Succeeded;
        }

        using var logFile = commandLine.Plan ? null : BuildLogFile.Open(Path.Combine(RootDirectory, ".nuke", "temp"));
        _output = new BuildOutput(CreateHost(environment), Secrets, logFile, TimeProvider.System);
        Secrets.Registered += _output.Host.AddMask;

        if (Prepare(commandLine, environment, defaultTarget) is not { } plan)
            return ExitCodes.Usage;
        _plan = plan;
        Host.Verbose = Verbose;

        if (commandLine.Plan)
        {
            Host.WriteLine(Usage.Plan(plan, MaxParallel, PlannedSkipReason));
            return ExitCodes.Succeeded;
        }

        return await ExecuteAsync(plan, environment, signals);
    }

    private ExecutionPlan? Prepare(CommandLine commandLine, EngineEnvironment environment, string defaultTarget)
    {
        var log = Output.For(null);
        try
        {
            var bound = new ParameterBinder(Model.Parameters, [.. Model.Variables.Select(variable => variable.Name)], Secrets)
                .Bind(this, commandLine, environment.Variables, RootDirectory);
            (_parameterValues, _parameterSources) = (bound.Values, bound.Sources);
            foreach (var warning in bound.Warnings)
                log.Warning(warning);
            if (bound.Problems.Count > 0)
                throw new ParameterException(string.Join(Environment.NewLine, bound.Problems));
            var requested = (commandLine.Targets.Count > 0 ? commandLine.Targets : [defaultTarget]).Select(FindTarget).ToList();
            foreach (var skipped in Skip ?? [])
                FindTarget(skipped);
            var plan = ExecutionPlan.Create(requested);
            CheckRequiredParameters(plan);
            return plan;
        }
        catch (Exception exception) when (exception is ParameterException or PlanException or InvalidOperationException)
        {
            log.Error(exception.Message);
            return null;
        }
    }

    private async Task<int> ExecuteAsync(ExecutionPlan plan, EngineEnvironment environment, RunSignals signals)
    {
        var log = Output.For(null);
        log.Info($"Slipway: {string.Join(", ", plan.Requested)} ({plan.Targets.Count()} targets in {plan.Stages.Count} stages, at most {MaxParallel} at once)");
        _executor = new Executor(plan, Output, new ExecutorOptions
        {
            MaxParallel = MaxParallel,
            Skipped = SkippedTargets(plan),
            CancellationBudget = TimeSpan.FromSeconds(CancellationBudget),
        });

        var started = DateTimeOffset.UtcNow;
        IReadOnlyList<TargetOutcome> outcomes;
        var systemTemp = environment.Variable(RunScope.TemporaryDirectoryVariable) ?? Path.GetTempPath();
        try
        {
            _scope = RunScope.Open(systemTemp, environment.OwnsProcess);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Error($"Cannot create the run's temp folder in {systemTemp}: {exception.Message} Set TMPDIR to a folder this user can write to.");
            return ExitCodes.Failed;
        }

        await using (signals.Cancelled.Register(() => log.Warning($"{signals.First}: cancelling running targets, then running cleanups within {CancellationBudget} s.")))
        await using (signals.Hurried.Register(() => log.Warning($"{signals.Second}, a second stop request: cutting every wait short; process trees are still killed and temp state removed.")))
        {
            try
            {
                outcomes = await _executor.RunAsync(signals.Cancelled, signals.Hurried);
            }
            finally
            {
                await _scope.CloseAsync(log, signals.Hurried);
            }
        }

        Report.Outcomes = outcomes;
        Report.Duration = DateTimeOffset.UtcNow - started;
        Report.ExitCode = signals.Cancelled.IsCancellationRequested ? ExitCodes.Interrupted
            : outcomes.Any(outcome => outcome.Status is TargetStatus.Failed or TargetStatus.Cancelled or TargetStatus.NotRun) ? ExitCodes.Failed
            : ExitCodes.Succeeded;
        Report.Verdict = Report.ExitCode switch
        {
            ExitCodes.Succeeded => $"Build succeeded in {RunReport.Format(Report.Duration)}",
            ExitCodes.Failed => $"Build failed in {RunReport.Format(Report.Duration)}",
            _ => $"Build cancelled after {RunReport.Format(Report.Duration)}",
        };
        Host.WriteSummary(Report);
        Output.RecordInLogFile(string.Join('\n', [Report.ToTable(), Report.Verdict, .. Report.ClosingLines]));
        return Report.ExitCode;
    }

    private HashSet<string> SkippedTargets(ExecutionPlan plan) => Skip switch
    {
        null => [],
        [] => [.. plan.Targets.Except(plan.Requested).Select(target => target.Name)],
        var names => [.. names.Select(name => FindTarget(name).Name)],
    };

    private string? PlannedSkipReason(TargetInfo target)
    {
        if (SkippedTargets(_plan!).Contains(target.Name))
            return "skipped: --skip";
        foreach (var condition in target.Definition.Conditions)
        {
            try
            {
                if (condition.SkipReason() is { Length: > 0 } reason)
                    return $"skipped: {reason}";
            }
            catch (Exception)
            {
                // It reads what earlier targets produce: known only once they ran.
                return $"only when {condition.Requirement}: decided when it runs";
            }
        }

        return null;
    }

    private void CheckRequiredParameters(ExecutionPlan plan)
    {
        var skipped = SkippedTargets(plan);
        foreach (var target in plan.Targets.Where(target => !skipped.Contains(target.Name)))
        {
            foreach (var name in target.Definition.RequiredParameters)
            {
                var parameter = Model.Parameters.FirstOrDefault(candidate => candidate.Name == name)
                    ?? throw new InvalidOperationException($"{target.Name} requires '{name}', which is not a [Parameter].");
                if (_parameterValues.GetValueOrDefault(name) is null or "" or Array { Length: 0 })
                    throw new ParameterException($"Missing required parameter '{name}' (needed by {target.Name}): pass {parameter.CommandLineName} <{parameter.TypeName}> or set {parameter.EnvironmentName}.");
            }
        }
    }

    private TargetInfo FindTarget(string name) =>
        Model.Find(name) ?? throw new ParameterException($"Unknown target '{name}'.{Suggestions.DidYouMean(name, Model.Targets.Select(target => target.Name))} Run with --help to list targets.");

    private void CheckReadable(TargetInfo producer)
    {
        if (Executor.CurrentTarget is not { } reader || reader == producer || _plan is null || _plan.RunsAfter(reader, producer))
            return;
        throw new InvalidOperationException($"{reader.Name} reads the result of {producer.Name} but does not depend on it: add .DependsOn({producer.Name}).");
    }

    private static BuildHost CreateHost(EngineEnvironment environment) =>
        environment.IsGitHubActions
            ? new GitHubActionsHost(environment.Output, environment.Variable("GITHUB_STEP_SUMMARY"), environment.Variable("GITHUB_OUTPUT"))
            : new TerminalHost(environment.Output, environment.SupportsColour);

    private static string MemberName<T>(Expression<Func<T, Target>> target) =>
        target.Body is MemberExpression member ? member.Member.Name : throw new ArgumentException("The default target must be a target property: x => x.Ci.");
}
