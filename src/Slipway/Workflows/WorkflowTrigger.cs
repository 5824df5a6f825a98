using Slipway.Workflows.Yaml;

namespace Slipway.Workflows;

/// <summary>
/// An event under <c>on:</c>, with its filters. There is deliberately no <c>pull_request_target</c>: it runs with the base
/// repository's secrets on a fork's event, and a trusted follow-up belongs in a <see cref="WorkflowRun"/> workflow.
/// </summary>
public sealed class WorkflowTrigger
{
    private WorkflowTrigger(string eventName, YamlNode filters)
    {
        EventName = eventName;
        Filters = filters;
    }

    public string EventName { get; }

    /// <summary>Runs code from a pull request, possibly a fork's: such a workflow gets no secret and no write permission.</summary>
    public bool RunsPullRequestCode => EventName == "pull_request";

    internal YamlNode Filters { get; }

    public static WorkflowTrigger PullRequest(IReadOnlyList<string>? branches = null, IReadOnlyList<string>? types = null) =>
        new("pull_request", Optional(("branches", branches), ("types", types)));

    public static WorkflowTrigger Push(IReadOnlyList<string>? branches = null, IReadOnlyList<string>? tags = null) =>
        new("push", Optional(("branches", branches), ("tags", tags)));

    public static WorkflowTrigger MergeGroup() => new("merge_group", new YamlNull());

    /// <summary>A manual run from the Actions tab or the API, with the inputs it asks for.</summary>
    public static WorkflowTrigger WorkflowDispatch(params WorkflowInput[] inputs)
    {
        if (inputs.Length == 0)
            return new("workflow_dispatch", new YamlNull());
        var mapping = new YamlMapping();
        foreach (var input in inputs)
            mapping.Add(input.Name, input.ToYaml());
        return new("workflow_dispatch", new YamlMapping().Add("inputs", mapping));
    }

    /// <summary>Runs after these workflows (by their <c>name:</c>), in this repository's trusted context: default types <c>[completed]</c>.</summary>
    public static WorkflowTrigger WorkflowRun(IEnumerable<GitHubWorkflow> workflows, params string[] types)
    {
        var names = workflows.Select(workflow => workflow.Name).ToList();
        if (names.Count == 0)
            throw new ArgumentException("workflow_run needs at least one workflow to follow.", nameof(workflows));
        return new("workflow_run", new YamlMapping()
            .Add("workflows", YamlSequence.Of(names))
            .Add("types", YamlSequence.Of(types.Length == 0 ? ["completed"] : types)));
    }

    /// <summary>Cron schedules in UTC (five fields each).</summary>
    public static WorkflowTrigger Schedule(params string[] crons)
    {
        if (crons.Length == 0)
            throw new ArgumentException("A schedule needs at least one cron expression.", nameof(crons));
        foreach (var cron in crons.Where(cron => cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5))
            throw new ArgumentException($"'{cron}' is not a five-field cron expression (minute hour day month weekday).", nameof(crons));
        return new("schedule", new YamlSequence(crons.Select(cron => new YamlMapping().Add("cron", cron))));
    }

    private static YamlNode Optional(params (string Key, IReadOnlyList<string>? Values)[] filters)
    {
        var mapping = new YamlMapping();
        foreach (var (key, values) in filters.Where(filter => filter.Values is not null))
            mapping.Add(key, YamlSequence.Of(values!));
        return mapping.Entries.Count == 0 ? new YamlNull() : mapping;
    }
}

/// <summary>An input of a manual (<c>workflow_dispatch</c>) run; read in expressions as <c>inputs.&lt;name&gt;</c>.</summary>
public sealed record WorkflowInput(string Name, string Description, string Type, string? Default, bool Required = false)
{
    public static WorkflowInput Boolean(string name, string description, bool defaultValue) =>
        new(name, description, "boolean", defaultValue ? "true" : "false");

    public static WorkflowInput Text(string name, string description, string? defaultValue = null, bool required = false) =>
        new(name, description, "string", defaultValue, required);

    internal YamlMapping ToYaml()
    {
        var mapping = new YamlMapping().Add("description", Description).Add("type", Type).Add("required", YamlScalar.Boolean(Required));
        if (Default is not null)
            mapping.Add("default", Type == "boolean" ? YamlScalar.Boolean(Default == "true") : YamlScalar.String(Default));
        return mapping;
    }
}
