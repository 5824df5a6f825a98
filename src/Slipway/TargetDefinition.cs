using System.Linq.Expressions;
using System.Reflection;

namespace Slipway;

/// <summary>When a target runs: <paramref name="Requirement"/> describes it (for --help, and a plan that cannot evaluate it yet); <paramref name="SkipReason"/> says why not, or null to run.</summary>
internal sealed record TargetCondition(string Requirement, Func<string?> SkipReason);

/// <summary>What a target's declaration collected; read by the planner and the executor.</summary>
internal sealed class TargetDefinition(object build) : ITargetDefinition
{
    public string? DescriptionText { get; private set; }

    public List<Target> Dependencies { get; } = [];

    public List<Type> ComponentDependencies { get; } = [];

    public List<Target> RunsAfter { get; } = [];

    public List<Target> RunsBefore { get; } = [];

    public List<Target> Triggered { get; } = [];

    public List<Target> Collected { get; } = [];

    public List<TargetCondition> Conditions { get; } = [];

    public List<string> RequiredParameters { get; } = [];

    public bool ContinuesAfterFailure { get; private set; }

    public List<Func<CancellationToken, Task<object?>>> Actions { get; } = [];

    public List<Func<CancellationToken, Task>> Cleanups { get; } = [];

    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets)
    {
        Dependencies.AddRange(targets);
        return this;
    }

    public ITargetDefinition DependsOn<TComponent>()
    {
        ComponentDependencies.Add(typeof(TComponent));
        return this;
    }

    public ITargetDefinition After(params Target[] targets)
    {
        RunsAfter.AddRange(targets);
        return this;
    }

    public ITargetDefinition Before(params Target[] targets)
    {
        RunsBefore.AddRange(targets);
        return this;
    }

    public ITargetDefinition Triggers(params Target[] targets)
    {
        Triggered.AddRange(targets);
        return this;
    }

    public ITargetDefinition Collects(params Target[] targets)
    {
        Collected.AddRange(targets);
        return this;
    }

    public ITargetDefinition OnlyWhen(Func<bool> condition, string reason) =>
        OnlyWhen($"not '{reason}'", () => condition() ? null : reason);

    public ITargetDefinition OnlyWhen(string requirement, Func<string?> skipReason)
    {
        Conditions.Add(new TargetCondition(requirement, skipReason));
        return this;
    }

    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameters)
    {
        RequiredParameters.AddRange(parameters.Select(MemberName));
        return this;
    }

    public ITargetDefinition ProceedAfterFailure()
    {
        ContinuesAfterFailure = true;
        return this;
    }

    public ITargetDefinition Executes(Action action)
    {
        Actions.Add(_ =>
        {
            action();
            return Task.FromResult<object?>(null);
        });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action) => Executes(_ => action());

    public ITargetDefinition Executes(Func<CancellationToken, Task> action)
    {
        Actions.Add(async cancellationToken =>
        {
            await action(cancellationToken);
            return null;
        });
        return this;
    }

    public ITargetDefinition Produces<TResult>(Func<CancellationToken, Task<TResult>> action)
        where TResult : notnull
    {
        Actions.Add(async cancellationToken => await action(cancellationToken));
        return this;
    }

    public ITargetDefinition Cleanup(Func<CancellationToken, Task> cleanup)
    {
        Cleanups.Add(cleanup);
        return this;
    }

    public ITargetDefinition Inherit<TComponent>(Expression<Func<TComponent, Target>> target)
    {
        var property = (PropertyInfo)((MemberExpression)target.Body).Member;
        var declaration = ComponentDeclarations.Invoke(build, property.GetMethod!);
        return declaration(this);
    }

    private static string MemberName(Expression<Func<object?>> expression)
    {
        var body = expression.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : expression.Body;
        return body is MemberExpression member
            ? member.Member.Name
            : throw new ArgumentException($"Requires(...) takes a parameter member, such as () => Registry; got {expression}.");
    }
}
