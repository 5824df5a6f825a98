using System.Linq.Expressions;

namespace Slipway.Workflows;

/// <summary>One step of a job: an action, a script, or a build target. Built with <see cref="Step"/> and the extensions in <see cref="WorkflowSteps"/>.</summary>
public abstract class WorkflowStep
{
    internal string? Name { get; set; }

    internal string? Id { get; set; }

    /// <summary>An expression without <c>${{ }}</c>, e.g. <c>always()</c>.</summary>
    internal string? Condition { get; set; }

    internal List<(string Name, string Value)> Environment { get; } = [];

    internal List<string> Comments { get; } = [];
}

/// <summary><c>uses:</c> an action pinned by sha, with its inputs.</summary>
public sealed class ActionStep(PinnedAction action) : WorkflowStep
{
    public PinnedAction Action { get; } = action;

    internal List<(string Name, string Value)> Inputs { get; } = [];

    public ActionStep With(string input, string value)
    {
        Inputs.Add((input, value));
        return this;
    }
}

/// <summary><c>run:</c> a bash script. Values from events belong in <c>env:</c>, never inside the script (script injection).</summary>
public sealed class ScriptStep(string script) : WorkflowStep
{
    public string Script { get; } = script;
}

/// <summary>
/// Runs a target of the build: <c>exec ./build.sh &lt;Target&gt; [arguments]</c>. The target is referenced, not named, so
/// renaming it breaks the compile, not the workflow; parameters go through their <c>SLIPWAY_*</c> variables.
/// </summary>
public sealed class TargetStep(Target target, IReadOnlyList<string> arguments) : WorkflowStep
{
    public Target Target { get; } = target;

    /// <summary>Shell words, written as given (so <c>"${GITHUB_REPOSITORY_OWNER,,}"</c> is expanded by bash).</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments;

    internal List<ParameterValue> Parameters { get; } = [];

    /// <summary>Sets a non-secret parameter through its environment variable, e.g. <c>() => RegistryUsername</c> with <c>${{ github.actor }}</c>.</summary>
    public TargetStep WithParameter(Expression<Func<object?>> parameter, string value)
    {
        Parameters.Add(new ParameterValue(ParameterMember(parameter), value, Secret: false));
        return this;
    }

    /// <summary>Sets a <c>[Secret]</c> parameter from a repository secret: <c>${{ secrets.&lt;name&gt; }}</c>, in this step alone.</summary>
    public TargetStep WithSecret(Expression<Func<object?>> parameter, string secretName)
    {
        Parameters.Add(new ParameterValue(ParameterMember(parameter), $"${{{{ secrets.{secretName} }}}}", Secret: true));
        return this;
    }

    private static string ParameterMember(Expression<Func<object?>> expression)
    {
        var body = expression.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : expression.Body;
        return body is MemberExpression member
            ? member.Member.Name
            : throw new ArgumentException($"A parameter is named by its member, such as () => Registry; got {expression}.");
    }

    internal sealed record ParameterValue(string Member, string Value, bool Secret);
}
