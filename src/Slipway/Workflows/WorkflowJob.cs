namespace Slipway.Workflows;

/// <summary>A job: where it runs, what its token may do, how long it may take, what it waits for, and its steps.</summary>
public sealed class WorkflowJob(string id)
{
    private readonly List<WorkflowStep> _steps = [];
    private readonly List<Permission> _permissions = [];
    private readonly List<string> _needs = [];
    private readonly List<(string Name, string Value)> _environment = [];

    public string Id { get; } = id;

    public string? DisplayName { get; private set; }

    public string RunnerLabel { get; private set; } = "ubuntu-latest";

    public string? Condition { get; private set; }

    public int? TimeoutMinutes { get; private set; }

    public WorkflowConcurrency? Concurrency { get; private set; }

    public IReadOnlyList<Permission> Permissions => _permissions;

    public IReadOnlyList<string> Needs => _needs;

    public IReadOnlyList<WorkflowStep> JobSteps => _steps;

    internal IReadOnlyList<(string Name, string Value)> Environment => _environment;

    public WorkflowJob Named(string name)
    {
        DisplayName = name;
        return this;
    }

    public WorkflowJob RunsOn(string label)
    {
        RunnerLabel = label;
        return this;
    }

    /// <summary>Runs only when the expression (without <c>${{ }}</c>) holds, e.g. <c>vars.CLUSTER != ''</c>.</summary>
    public WorkflowJob When(string condition)
    {
        Condition = condition;
        return this;
    }

    /// <summary>The token's scopes for this job; every other scope is <c>none</c>.</summary>
    public WorkflowJob Grants(params Permission[] permissions)
    {
        _permissions.AddRange(permissions);
        return this;
    }

    public WorkflowJob Timeout(int minutes)
    {
        TimeoutMinutes = minutes > 0 ? minutes : throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "A job's timeout is at least one minute.");
        return this;
    }

    public WorkflowJob Concurrent(WorkflowConcurrency concurrency)
    {
        Concurrency = concurrency;
        return this;
    }

    /// <summary>Runs after these jobs of the same workflow succeeded.</summary>
    public WorkflowJob After(params string[] jobIds)
    {
        _needs.AddRange(jobIds);
        return this;
    }

    public WorkflowJob WithEnv(string name, string value)
    {
        _environment.Add((name, value));
        return this;
    }

    public WorkflowJob Steps(params WorkflowStep[] steps)
    {
        _steps.AddRange(steps);
        return this;
    }
}
