using System.Text.RegularExpressions;

namespace Slipway.Workflows;

/// <summary>One file of <c>.github/workflows</c>, described in the build: its name, triggers and jobs.</summary>
public sealed partial class GitHubWorkflow
{
    private readonly List<WorkflowTrigger> _triggers = [];
    private readonly List<WorkflowJob> _jobs = [];
    private readonly List<string> _comments = [];

    public GitHubWorkflow(string fileName, string name)
    {
        FileName = FileNamePattern().IsMatch(fileName)
            ? fileName
            : throw new ArgumentException($"'{fileName}' is not a workflow file name: expected a name such as ci.yml (letters, digits, '-', '_', '.').", nameof(fileName));
        Name = name;
    }

    /// <summary>The file under <c>.github/workflows</c>, e.g. <c>ci.yml</c>.</summary>
    public string FileName { get; }

    /// <summary>The workflow's <c>name:</c>, which <see cref="WorkflowTrigger.WorkflowRun"/> refers to.</summary>
    public string Name { get; }

    public IReadOnlyList<WorkflowTrigger> Triggers => _triggers;

    public IReadOnlyList<WorkflowJob> Jobs => _jobs;

    /// <summary>Lines written under the generated-file header: what the workflow is for.</summary>
    public IReadOnlyList<string> Comments => _comments;

    /// <summary>Runs code from a pull request (possibly a fork's): no job may get a secret or a write permission.</summary>
    public bool RunsPullRequestCode => _triggers.Any(trigger => trigger.RunsPullRequestCode);

    public GitHubWorkflow On(params WorkflowTrigger[] triggers)
    {
        _triggers.AddRange(triggers);
        return this;
    }

    public GitHubWorkflow Describe(params string[] lines)
    {
        _comments.AddRange(lines);
        return this;
    }

    public GitHubWorkflow Job(string id, Action<WorkflowJob> configure)
    {
        var job = new WorkflowJob(id);
        configure(job);
        _jobs.Add(job);
        return this;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*\.ya?ml$")]
    private static partial Regex FileNamePattern();
}
