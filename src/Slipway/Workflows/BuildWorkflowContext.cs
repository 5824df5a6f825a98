using Slipway.Planning;

namespace Slipway.Workflows;

/// <summary>Target and parameter names from the build's own model, so a workflow names only what exists.</summary>
internal sealed class BuildWorkflowContext(BuildModel model) : IWorkflowContext
{
    public string TargetName(Target target) => model.Resolve(target).Name;

    public (string EnvironmentName, bool IsSecret) Parameter(string member)
    {
        var parameter = model.Parameters.FirstOrDefault(candidate => candidate.Name == member)
            ?? throw new InvalidOperationException($"'{member}' is not a [Parameter] of the build.");
        return (parameter.EnvironmentName, parameter.IsSecret);
    }
}
