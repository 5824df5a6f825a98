using System.Collections.Concurrent;
using Slipway.Logging;

namespace Slipway.Release.Helm.Coverage;

/// <summary>
/// Measures which branches of a chart's templates its values cases render. Per case: render a baseline copy (the chart
/// as is, NOTES.txt as a document) and the instrumented copy; strip the markers; the markers seen count only when the
/// stripped output is byte-identical to the baseline. When it is not, the markers responsible are found by rendering
/// with halves of the markers enabled (a marker that is never emitted cannot change anything, so every culprit is a
/// branch that ran in that case). A culprit whose marker still appears in the output is rendered (e.g. a configmap
/// branch whose text also feeds a checksum annotation: the checksum line is the attributed difference); one that
/// breaks the render or does not appear is tried alone in its other form (<see cref="BranchMarker.Alternate"/>), and
/// failing that is not measurable in that case, with the difference it made or helm's error. All other markers are
/// read from a render with the culprits disabled, which must again be byte-identical.
/// "Rendered" means the body's text reached the output: a body whose output a template discards (assigned and never
/// used) counts as not rendered.
/// </summary>
/// <param name="createTemporaryDirectory">Makes the folder of the instrumented copies (a build's <c>CreateTemporaryDirectory</c>: in the run's temp root).</param>
public sealed class ChartCoverageAnalyzer(HelmCli helm, IBuildLog log, string? kubeVersion, Func<string, DirectoryInfo> createTemporaryDirectory, int parallelism = 4)
{
    private const string ReleaseName = "release";

    private HelmCli Helm { get; } = helm;

    private IBuildLog Log { get; } = log;

    private string? KubeVersion { get; } = kubeVersion;

    public async Task<ChartCoverageResult> AnalyzeAsync(string chartDirectory, IReadOnlyList<ValuesCase> cases, CancellationToken cancellationToken = default)
    {
        var plan = ChartInstrumentation.Plan(chartDirectory);
        var work = createTemporaryDirectory("slipway-coverage-").FullName;
        try
        {
            var chartName = Path.GetFileName(Path.TrimEndingDirectorySeparator(chartDirectory));
            var baselineDirectory = Path.Combine(work, "baseline", chartName);
            var instrumentedDirectory = Path.Combine(work, "instrumented", chartName);
            plan.WriteCopy(baselineDirectory, new HashSet<int>());
            plan.WriteCopy(instrumentedDirectory, null);

            var outcomes = new ConcurrentDictionary<string, IReadOnlyDictionary<int, CaseOutcome>>();
            using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
            await Task.WhenAll(cases.Select((values, index) => Task.Run(async () =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var probe = new CaseProbe(this, plan, values, baselineDirectory, instrumentedDirectory, Path.Combine(work, $"probe-{index}", chartName));
                    outcomes[values.Name] = await probe.MeasureAsync(cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken)));

            var names = cases.Select(values => values.Name).ToList();
            var templates = plan.Templates
                .Where(template => template.Branches.Count > 0)
                .Select(template => new TemplateCoverage(
                    template.File,
                    [.. plan.Markers.Where(marker => marker.Branch.File == template.File).Select(marker => Summarize(marker, names, outcomes))]))
                .ToList();
            return new ChartCoverageResult(Path.GetFileName(Path.TrimEndingDirectorySeparator(chartDirectory)), names, templates);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static BranchCoverage Summarize(BranchMarker marker, IReadOnlyList<string> cases, ConcurrentDictionary<string, IReadOnlyDictionary<int, CaseOutcome>> outcomes)
    {
        var renderedBy = new List<string>();
        var notMeasurable = new List<CaseReason>();
        var notes = new List<CaseReason>();
        foreach (var name in cases)
        {
            var outcome = outcomes[name][marker.Id];
            if (outcome.Rendered)
                renderedBy.Add(name);
            if (outcome.Reason is { } reason)
                (outcome.Rendered ? notes : notMeasurable).Add(new CaseReason(name, reason));
        }

        var status = renderedBy.Count > 0 ? BranchStatus.Rendered : notMeasurable.Count > 0 ? BranchStatus.NotMeasurable : BranchStatus.NotRendered;
        var branch = marker.Branch;
        return new BranchCoverage(marker.Id, branch.File, branch.Line, branch.Kind, branch.Side, branch.Describe(), status, renderedBy, notMeasurable, notes);
    }

    /// <summary>What one case showed about one branch: rendered or not, and the reason when its marker changed the output.</summary>
    private sealed record CaseOutcome(bool Rendered, string? Reason);

    private sealed record Probe(string? Output, string? Error, string Stripped, IReadOnlySet<int> Seen, bool Matches);

    private sealed class CaseProbe(
        ChartCoverageAnalyzer analyzer, ChartInstrumentation plan, ValuesCase values, string baselineDirectory, string instrumentedDirectory, string probeDirectory)
    {
        private readonly Dictionary<string, Probe> _probes = [];
        private string _baseline = string.Empty;

        public async Task<IReadOnlyDictionary<int, CaseOutcome>> MeasureAsync(CancellationToken cancellationToken)
        {
            // The baseline must render: a case the chart itself cannot render is the render gate's failure, reported as such.
            _baseline = await analyzer.Helm.TemplateAsync(baselineDirectory, ReleaseName, values.ValuesFile, analyzer.KubeVersion, cancellationToken);
            var all = plan.Markers.Select(marker => marker.Id).ToList();
            var full = await RenderAsync(instrumentedDirectory, cancellationToken);
            var outcomes = new Dictionary<int, CaseOutcome>();
            if (full.Matches)
            {
                foreach (var id in all)
                    outcomes[id] = new CaseOutcome(full.Seen.Contains(id), null);
                return outcomes;
            }

            analyzer.Log.Info($"{values.Name}: instrumented output differs from the chart's own; finding the branches responsible");
            _probes[Key(all)] = full;
            if (!(await ProbeAsync([], cancellationToken)).Matches)
            {
                // Two renders without markers differ (randAlphaNum, genCA, now...): no difference can be attributed.
                foreach (var id in all)
                    outcomes[id] = new CaseOutcome(false, "the chart renders differently on every run (random or time-based values), so no output can be compared");
                return outcomes;
            }

            var culprits = new SortedSet<int>(await FindCulpritsAsync(all, cancellationToken));
            var rest = all.Where(id => !culprits.Contains(id)).ToList();
            var verified = await ProbeAsync(rest, cancellationToken);
            while (!verified.Matches)
            {
                var more = await FindCulpritsAsync(rest, cancellationToken);
                culprits.UnionWith(more.Count > 0 ? more : rest);
                rest = [.. all.Where(id => !culprits.Contains(id))];
                verified = await ProbeAsync(rest, cancellationToken);
            }

            foreach (var id in rest)
                outcomes[id] = new CaseOutcome(verified.Seen.Contains(id), null);
            foreach (var id in culprits)
                outcomes[id] = await ExplainAsync(id, cancellationToken);
            return outcomes;
        }

        private async Task<CaseOutcome> ExplainAsync(int id, CancellationToken cancellationToken)
        {
            var alone = await ProbeAsync([id], cancellationToken);
            var marker = plan.Markers[id - 1];
            string outcome;
            CaseOutcome result;
            if (alone.Output is null)
            {
                var reason = $"its marker breaks the render: {FirstLine(alone.Error)}";
                result = new CaseOutcome(false, reason);
                outcome = $"not measurable ({reason})";
            }
            else if (alone.Matches && alone.Seen.Contains(id))
            {
                // Alone its render is byte-identical and shows it: as trustworthy as any marker of a clean render.
                result = new CaseOutcome(true, null);
                outcome = "rendered (changes the output only together with other markers)";
            }
            else if (alone.Matches)
            {
                result = new CaseOutcome(false, "its marker changes the output only together with other markers, and does not show alone");
                outcome = "not measurable (interacts with other markers)";
            }
            else if (alone.Seen.Contains(id))
            {
                var note = $"rendered; its text also changes {Difference(_baseline, alone.Stripped)}";
                result = new CaseOutcome(true, note);
                outcome = note;
            }
            else
            {
                var reason = $"it ran, but its marker reaches the output transformed or not at all: {Difference(_baseline, alone.Stripped)}";
                result = new CaseOutcome(false, reason);
                outcome = $"not measurable ({reason})";
            }

            if (!result.Rendered)
                (result, outcome) = await TryAlternateAsync(marker, result, outcome, cancellationToken);

            analyzer.Log.Info($"{values.Name}: {marker.Branch.File}:{marker.Branch.Line} {marker.Branch.Describe()}: {outcome}");
            return result;
        }

        /// <summary>A marker that broke the render or did not show is tried alone in its other form (comment line / bare token).</summary>
        private async Task<(CaseOutcome Result, string Outcome)> TryAlternateAsync(
            BranchMarker marker, CaseOutcome primary, string primaryOutcome, CancellationToken cancellationToken)
        {
            var other = await ProbeAsync([], cancellationToken, alternate: marker.Id);
            if (other.Output is null || !other.Seen.Contains(marker.Id))
                return (primary, primaryOutcome);
            var form = marker.Alternate.Style == MarkerStyle.Line ? "comment-line" : "inline";
            var note = other.Matches
                ? $"measured with a {form} marker; the other form failed: {primary.Reason}"
                : $"measured with a {form} marker; its text also changes {Difference(_baseline, other.Stripped)}";
            return (new CaseOutcome(true, note), $"rendered ({note})");
        }

        /// <summary>The markers that, enabled, make the output differ: halves are probed, down to single markers.</summary>
        private async Task<List<int>> FindCulpritsAsync(IReadOnlyList<int> candidates, CancellationToken cancellationToken)
        {
            if (candidates.Count == 0 || (await ProbeAsync(candidates, cancellationToken)).Matches)
                return [];
            if (candidates.Count == 1)
                return [candidates[0]];
            var half = candidates.Count / 2;
            var found = await FindCulpritsAsync([.. candidates.Take(half)], cancellationToken);
            found.AddRange(await FindCulpritsAsync([.. candidates.Skip(half)], cancellationToken));
            return found.Count > 0 ? found : await InteractingAsync(candidates, cancellationToken);
        }

        /// <summary>
        /// Each half alone renders identically but together they differ (two markers overflow a trunc together): the
        /// candidates whose removal makes the render identical are the ones that interact. When none is, every
        /// candidate stays suspect rather than being guessed innocent.
        /// </summary>
        private async Task<List<int>> InteractingAsync(IReadOnlyList<int> candidates, CancellationToken cancellationToken)
        {
            var essential = new List<int>();
            foreach (var candidate in candidates)
            {
                if ((await ProbeAsync([.. candidates.Where(id => id != candidate)], cancellationToken)).Matches)
                    essential.Add(candidate);
            }

            return essential.Count > 0 ? essential : [.. candidates];
        }

        private async Task<Probe> ProbeAsync(IReadOnlyList<int> enabled, CancellationToken cancellationToken, int? alternate = null)
        {
            var key = Key(enabled) + (alternate is { } flipped ? $"|~{flipped}" : string.Empty);
            if (_probes.TryGetValue(key, out var known))
                return known;
            plan.WriteCopy(probeDirectory, enabled.ToHashSet(), alternate is { } id ? new HashSet<int> { id } : null);
            var probe = await RenderAsync(probeDirectory, cancellationToken);
            _probes[key] = probe;
            return probe;
        }

        private async Task<Probe> RenderAsync(string chartDirectory, CancellationToken cancellationToken)
        {
            try
            {
                var output = await analyzer.Helm.TemplateAsync(chartDirectory, ReleaseName, values.ValuesFile, analyzer.KubeVersion, cancellationToken);
                var (stripped, seen) = ChartInstrumentation.Strip(output);
                return new Probe(output, null, stripped, seen, string.Equals(stripped, _baseline, StringComparison.Ordinal));
            }
            catch (HelmException failure)
            {
                return new Probe(null, failure.Message, string.Empty, new HashSet<int>(), false);
            }
        }

        private static string Key(IEnumerable<int> ids) => string.Join(',', ids.Order());
    }

    private static string FirstLine(string? text)
    {
        var lines = (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(line => line.StartsWith("Error:", StringComparison.Ordinal)) ?? lines.Skip(1).FirstOrDefault() ?? lines.FirstOrDefault() ?? "(no message)";
    }

    /// <summary>The first line where <paramref name="actual"/> leaves <paramref name="expected"/>, with the template it came from.</summary>
    internal static string Difference(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var index = 0;
        while (index < want.Length && index < got.Length && want[index] == got[index])
            index++;
        var source = want.Take(Math.Min(index + 1, want.Length)).LastOrDefault(line => line.StartsWith("# Source: ", StringComparison.Ordinal))?["# Source: ".Length..] ?? "(output)";
        var before = index < want.Length ? want[index].Trim() : "(end of output)";
        var after = index < got.Length ? got[index].Trim() : "(end of output)";
        return $"{source} line '{Shorten(before)}' became '{Shorten(after)}'";
    }

    private static string Shorten(string line) => line.Length <= 90 ? line : line[..87] + "...";
}
