using System.Text;
using Slipway.Parameters;
using Slipway.Planning;

namespace Slipway;

/// <summary>The text of <c>--help</c> and <c>--plan</c>.</summary>
internal static class Usage
{
    public static string Help(BuildModel model, IReadOnlyDictionary<string, object?> defaults, string defaultTarget)
    {
        var builder = new StringBuilder();
        builder.AppendLine("Usage: ./build.sh [targets...] [--parameter value ...]");
        builder.AppendLine();
        builder.AppendLine($"Targets (default: {defaultTarget})");
        var width = model.Targets.Max(target => target.Name.Length) + 2;
        foreach (var target in model.Targets)
        {
            builder.AppendLine($"  {target.Name.PadRight(width)}{target.Description}");
            var relations = new List<string>();
            if (target.Dependencies.Count > 0)
                relations.Add("depends on " + string.Join(", ", target.Dependencies));
            if (target.Triggers.Count > 0)
                relations.Add("triggers " + string.Join(", ", target.Triggers));
            if (target.Collects.Count > 0)
                relations.Add("collects " + string.Join(", ", target.Collects));
            if (target.RunsAfter.Count > 0)
                relations.Add("after " + string.Join(", ", target.RunsAfter));
            if (target.Definition.Conditions.Count > 0)
                relations.Add("only when: " + string.Join("; ", target.Definition.Conditions.Select(condition => condition.Requirement)));
            if (relations.Count > 0)
                builder.AppendLine($"  {string.Empty.PadRight(width)}({string.Join("; ", relations)})");
        }

        builder.AppendLine();
        builder.AppendLine("Parameters (command line, then SLIPWAY_* environment, then .nuke/parameters.json, then --profile NAME's .nuke/parameters.NAME.json)");
        foreach (var parameter in model.Parameters)
        {
            builder.AppendLine($"  {parameter.CommandLineName} <{parameter.TypeName}>{(parameter.IsSecret ? "  [secret]" : string.Empty)}");
            builder.AppendLine($"      {parameter.Description}");
            builder.AppendLine($"      env {parameter.EnvironmentName}{DefaultText(parameter, defaults)}");
        }

        if (model.Variables.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("Other environment variables");
            foreach (var variable in model.Variables)
            {
                builder.AppendLine($"  {variable.Name}");
                builder.AppendLine($"      {variable.Description}");
            }
        }

        builder.AppendLine();
        builder.AppendLine("Options");
        builder.AppendLine("  --help                 this text");
        builder.AppendLine("  --plan [targets...]    print the ordered plan with its parallel stages and skip reasons; run nothing");
        builder.AppendLine("  --profile NAME         also read .nuke/parameters.NAME.json");
        builder.AppendLine();
        builder.AppendLine($"Exit codes: 0 succeeded, 1 a target failed, 2 bad invocation, {ExitCodes.Interrupted} SIGINT, {ExitCodes.Terminated} SIGTERM.");
        return builder.ToString();
    }

    public static string Plan(ExecutionPlan plan, int maxParallel, Func<TargetInfo, string?> skipReason)
    {
        var builder = new StringBuilder();
        builder.AppendLine($"Plan for {string.Join(", ", plan.Requested)}: {plan.Targets.Count()} targets in {plan.Stages.Count} stages, at most {maxParallel} at once");
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            builder.AppendLine($"  stage {i + 1}");
            foreach (var target in plan.Stages[i])
            {
                var waits = plan.WaitsFor[target];
                var after = waits.Count == 0 ? string.Empty : $"  after {string.Join(", ", waits)}";
                var skip = skipReason(target) is { } reason ? $"  [{reason}]" : string.Empty;
                builder.AppendLine($"    {target.Name}{after}{skip}");
            }
        }

        return builder.ToString().TrimEnd();
    }

    private static string DefaultText(ParameterSpec parameter, IReadOnlyDictionary<string, object?> defaults)
    {
        if (parameter.IsSecret || !defaults.TryGetValue(parameter.Name, out var value) || value is null)
            return string.Empty;
        var text = value is Array array ? string.Join(",", array.Cast<object>()) : value.ToString();
        return string.IsNullOrEmpty(text) ? string.Empty : $"  (default: {text})";
    }
}
