namespace Slipway.Planning;

/// <summary>The targets a run needs, what each must wait for, and the deterministic stages they fall into.</summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(
        IReadOnlyList<IReadOnlyList<TargetInfo>> stages,
        IReadOnlyDictionary<TargetInfo, IReadOnlyList<TargetInfo>> waitsFor,
        IReadOnlyDictionary<TargetInfo, IReadOnlyList<TargetInfo>> needs,
        IReadOnlyList<TargetInfo> requested)
    {
        Stages = stages;
        WaitsFor = waitsFor;
        Needs = needs;
        Requested = requested;
    }

    public IReadOnlyList<IReadOnlyList<TargetInfo>> Stages { get; }

    public IEnumerable<TargetInfo> Targets => Stages.SelectMany(stage => stage);

    /// <summary>Every target that must finish first, whatever its outcome (dependencies, triggers and ordering).</summary>
    public IReadOnlyDictionary<TargetInfo, IReadOnlyList<TargetInfo>> WaitsFor { get; }

    /// <summary>Whether <paramref name="reader"/> is sure to start after <paramref name="producer"/> finished.</summary>
    public bool RunsAfter(TargetInfo reader, TargetInfo producer)
    {
        var seen = new HashSet<TargetInfo>();
        var queue = new Queue<TargetInfo>([reader]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var before in WaitsFor.GetValueOrDefault(current) ?? [])
            {
                if (before == producer)
                    return true;
                if (seen.Add(before))
                    queue.Enqueue(before);
            }
        }

        return false;
    }

    /// <summary>The subset that must also have succeeded (or been skipped) for the target to run.</summary>
    public IReadOnlyDictionary<TargetInfo, IReadOnlyList<TargetInfo>> Needs { get; }

    public IReadOnlyList<TargetInfo> Requested { get; }

    public int StageOf(TargetInfo target)
    {
        for (var i = 0; i < Stages.Count; i++)
        {
            if (Stages[i].Contains(target))
                return i;
        }

        return -1;
    }

    public static ExecutionPlan Create(IReadOnlyList<TargetInfo> requested)
    {
        var included = Closure(requested);
        var waitsFor = included.ToDictionary(target => target, _ => new List<TargetInfo>());
        var needs = included.ToDictionary(target => target, _ => new List<TargetInfo>());

        foreach (var target in included)
        {
            foreach (var dependency in target.Dependencies)
            {
                waitsFor[target].Add(dependency);
                needs[target].Add(dependency);
            }

            foreach (var triggered in target.Triggers)
            {
                waitsFor[triggered].Add(target);
                needs[triggered].Add(target);
            }

            foreach (var collected in target.Collects)
                waitsFor[target].Add(collected);

            foreach (var earlier in target.RunsAfter.Where(included.Contains))
                waitsFor[target].Add(earlier);
            foreach (var later in target.RunsBefore.Where(included.Contains))
                waitsFor[later].Add(target);
        }

        var stages = Stage(included, waitsFor);
        return new ExecutionPlan(
            stages,
            waitsFor.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<TargetInfo>)pair.Value.Distinct().ToList()),
            needs.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<TargetInfo>)pair.Value.Distinct().ToList()),
            requested);
    }

    private static HashSet<TargetInfo> Closure(IReadOnlyList<TargetInfo> requested)
    {
        var included = new HashSet<TargetInfo>();
        var queue = new Queue<TargetInfo>(requested);
        while (queue.TryDequeue(out var target))
        {
            if (!included.Add(target))
                continue;
            foreach (var next in target.Dependencies.Concat(target.Triggers).Concat(target.Collects))
                queue.Enqueue(next);
        }

        return included;
    }

    private static List<IReadOnlyList<TargetInfo>> Stage(HashSet<TargetInfo> included, Dictionary<TargetInfo, List<TargetInfo>> waitsFor)
    {
        var level = new Dictionary<TargetInfo, int>();
        var remaining = included.OrderBy(target => target.Order).ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.Where(target => waitsFor[target].All(level.ContainsKey)).ToList();
            if (ready.Count == 0)
                throw new PlanException($"The targets form a cycle (each waits for the next): {DescribeCycle(remaining, waitsFor)}.");
            foreach (var target in ready)
            {
                level[target] = waitsFor[target].Count == 0 ? 0 : waitsFor[target].Max(before => level[before]) + 1;
                remaining.Remove(target);
            }
        }

        return level
            .GroupBy(pair => pair.Value)
            .OrderBy(group => group.Key)
            .Select(group => (IReadOnlyList<TargetInfo>)group.Select(pair => pair.Key).OrderBy(target => target.Order).ToList())
            .ToList();
    }

    private static string DescribeCycle(List<TargetInfo> stuck, Dictionary<TargetInfo, List<TargetInfo>> waitsFor)
    {
        var path = new List<TargetInfo>();
        var current = stuck[0];
        while (!path.Contains(current))
        {
            path.Add(current);
            current = waitsFor[current].First(stuck.Contains);
        }

        var cycle = path.Skip(path.IndexOf(current)).Append(current);
        return string.Join(" -> ", cycle.Select(target => target.Name));
    }
}

/// <summary>The targets cannot be put in an order.</summary>
public sealed class PlanException(string message) : Exception(message);
