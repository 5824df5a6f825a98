namespace Slipway.Workflows;

/// <summary>What every kind of step can carry: a name, an id for its outputs, a condition, environment, and comments.</summary>
public static class WorkflowSteps
{
    public static TStep Named<TStep>(this TStep step, string name)
        where TStep : WorkflowStep
    {
        step.Name = name;
        return step;
    }

    /// <summary>The id later steps read this step's outputs by: <c>steps.&lt;id&gt;.outputs.&lt;name&gt;</c>.</summary>
    public static TStep WithId<TStep>(this TStep step, string id)
        where TStep : WorkflowStep
    {
        step.Id = id;
        return step;
    }

    /// <summary>Runs only when the expression (without <c>${{ }}</c>) holds.</summary>
    public static TStep When<TStep>(this TStep step, string condition)
        where TStep : WorkflowStep
    {
        step.Condition = condition;
        return step;
    }

    /// <summary>Runs whatever happened before: after a failure and after cancellation too (uploads, teardown).</summary>
    public static TStep Always<TStep>(this TStep step)
        where TStep : WorkflowStep => step.When("always()");

    public static TStep WithEnv<TStep>(this TStep step, string name, string value)
        where TStep : WorkflowStep
    {
        step.Environment.Add((name, value));
        return step;
    }

    /// <summary>A comment line written above the step: why it is there or why it looks the way it does.</summary>
    public static TStep Commented<TStep>(this TStep step, string comment)
        where TStep : WorkflowStep
    {
        step.Comments.Add(comment);
        return step;
    }
}
