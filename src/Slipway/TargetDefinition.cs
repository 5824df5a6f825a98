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

    public ITargetDefinition DependsOn(params Target[] targets) => Add(Dependencies, targets);

    public ITargetDefinition DependsOn<TComponent>() => Add(ComponentDependencies, [typeof(TComponent)]);

    public ITargetDefinition After(params Target[] targets) => Add(RunsAfter, targets);

    public ITargetDefinition Before(params Target[] targets) => Add(RunsBefore, targets);

    public ITargetDefinition Triggers(params Target[] targets) => Add(Triggered, targets);

    public ITargetDefinition Collects(params Target[] targets) => Add(Collected, targets);

    public ITargetDefinition OnlyWhen(Func<bool> condition, string reason) =>
        OnlyWhen($"not '{reason}'", () => condition() ? null : reason);

    public ITargetDefinition OnlyWhen(string requirement, Func<string?> skipReason) => Add(Conditions, [new TargetCondition(requirement, skipReason)]);

    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameters) => Add(RequiredParameters, parameters.Select(MemberName));

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

    public ITargetDefinition Cleanup(Func<CancellationToken, Task> cleanup) => Add(Cleanups, [cleanup]);

    public ITargetDefinition Inherit<TComponent>(Expression<Func<TComponent, Target>> target)
    {
        var property = (PropertyInfo)((MemberExpression)target.Body).Member;
        var declaration = ComponentDeclarations.Invoke(build, ComponentDeclarations.DeclarationIn(typeof(TComponent), property.GetMethod!));
        return declaration(this);
    }

    private TargetDefinition Add<T>(List<T> relation, IEnumerable<T> items)
    {
        relation.AddRange(items);
        return this;
    }

    private static string MemberName(Expression<Func<object?>> expression)
    {
        var body = expression.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : expression.Body;
        return body is MemberExpression member
            ? member.Member.Name
            : throw new ArgumentException($"Requires(...) takes a parameter member, such as () => Registry; got {expression}.");
    }
}
