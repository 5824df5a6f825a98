using System.Linq.Expressions;

namespace Slipway;

/// <summary>A target, declared as a property of the build class or a component: <c>Target Compile => _ => _.Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition _);

/// <summary>The fluent vocabulary a target is declared with.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);

    /// <summary>These run first, and this target runs only when they succeeded (or were skipped).</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Depends on every target the component interface declares.</summary>
    ITargetDefinition DependsOn<TComponent>();

    /// <summary>Ordering only: when both are in the plan, this runs after them.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>Ordering only: when both are in the plan, this runs before them.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Adds these to the plan, to run after this target.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>Adds these to the plan and runs after them whatever their outcome, even after a failure stopped other work: for targets that report, such as a release record.</summary>
    ITargetDefinition Collects(params Target[] targets);

    /// <summary>Skips the target, with the reason shown in the plan and the summary, when the condition is false just before it would run.</summary>
    ITargetDefinition OnlyWhen(Func<bool> condition, string reason);

    /// <summary>
    /// Skips the target when <paramref name="skipReason"/>, called just before the target would run, returns a reason (null: it
    /// runs). The reason is the skip's one record: the plan (when it can be computed before anything ran), the summary, the step
    /// summary and whatever reads <see cref="ISlipwayBuild.OutcomeOf"/>. <paramref name="requirement"/> says what it checks,
    /// for --help and for a plan that cannot compute the reason yet.
    /// </summary>
    ITargetDefinition OnlyWhen(string requirement, Func<string?> skipReason);

    /// <summary>Parameters that must have a value; checked before anything runs.</summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] parameters);

    /// <summary>A failure here does not stop independent targets; only this target's dependents are not run.</summary>
    ITargetDefinition ProceedAfterFailure();

    ITargetDefinition Executes(Action action);

    /// <summary>For async lambdas without a token; without this overload they would bind to Action and never be awaited.</summary>
    ITargetDefinition Executes(Func<Task> action);

    ITargetDefinition Executes(Func<CancellationToken, Task> action);

    /// <summary>Executes and keeps the result for later targets (read with <c>ResultOf</c>).</summary>
    ITargetDefinition Produces<TResult>(Func<CancellationToken, Task<TResult>> action)
        where TResult : notnull;

    /// <summary>Runs at the end of the build whenever this target started executing: after failure, cancellation or success. Must be idempotent.</summary>
    ITargetDefinition Cleanup(Func<CancellationToken, Task> cleanup);

    /// <summary>Starts from the component's own declaration of this target, to extend it.</summary>
    ITargetDefinition Inherit<TComponent>(Expression<Func<TComponent, Target>> target);
}
