using Slipway.Release.Manifests;

namespace Slipway.Release.Helm;

/// <summary>The rendered manifests of every valid values case, one file each under <c>artifacts/manifests/</c>.</summary>
public sealed record RenderedChart(string ChartDirectory, IReadOnlyList<RenderedCase> Cases);

public sealed record RenderedCase(string Name, string ManifestFile);

/// <summary>Every rendered case parsed strictly, once: what ManifestValidate checked and ChartPolicy evaluates.</summary>
public sealed record ValidatedChart(IReadOnlyList<ValidatedCase> Cases);

public sealed record ValidatedCase(string Name, string ManifestFile, ManifestValidationResult Validation);

/// <summary>The gates every pull request must pass on a chart: lint, render (valid and invalid cases), strict validation, policy.</summary>
public interface IChartGates : IHelm
{
    [Parameter("The chart the gates check (default: the one the build names, else the only chart under charts/)"), ExistingDirectory]
    string? ChartDir => ParameterValue<string>(nameof(ChartDir)) ?? ChartDirectory;

    [Parameter("Kubernetes version the rendered manifests must run on (removed apiVersions fail)"), CheckedBy<KubernetesVersionCheck>]
    string KubeVersion => ParameterValue<string>(nameof(KubeVersion)) ?? "1.31.0";

    /// <summary>The chart this build ships, relative to the root; null: the only chart under <c>charts/</c>, said in the output.</summary>
    string? ChartDirectory => null;

    /// <summary>The chart's folder, absolute; found once per build.</summary>
    string ChartPath => Shared(() =>
    {
        var location = ChartLocation.Find(RootDirectory, ChartDir);
        if (location.Discovered)
            Log.Info($"Chart: {Path.GetRelativePath(RootDirectory, location.Path)} (the only chart under {ChartLocation.ChartsFolder}/; name it in the build or with --chart-dir to choose another)");
        return location;
    }).Path;

    string ManifestsDirectory => Path.Combine(RootDirectory, "artifacts", "manifests");

    Target ChartLint => _ => _
        .Description("helm lint --strict with the default values and every ci/*.yaml case")
        .Executes(async ct =>
        {
            var helm = await HelmAsync(ct);
            foreach (var values in ChartCases.Valid(ChartPath))
            {
                var report = await helm.LintAsync(ChartPath, values.ValuesFile is null ? [] : [values.ValuesFile], strict: true, ct);
                HelmLintReport.Log(Log, $"lint: {values.Name}", report);
            }
        });

    Target ChartRender => _ => _
        .Description("helm template every case into artifacts/manifests/<case>.yaml; every ci/invalid case must fail naming its path")
        .Produces(async ct =>
        {
            var invalidCases = ChartCases.Invalid(ChartPath);
            ChartCases.RequireSchemaFor(ChartPath, invalidCases, Path.GetRelativePath(RootDirectory, ChartPath));
            var helm = await HelmAsync(ct);
            Directory.CreateDirectory(ManifestsDirectory);
            // Every case is its own helm process: up to --max-parallel run at once, and results are reported in case order.
            using var slots = new SemaphoreSlim(RenderConcurrency);
            var rendering = Task.WhenAll(ChartCases.Valid(ChartPath).Select(values => InSlotAsync(slots, () => RenderCaseAsync(helm, values, ct), ct)));
            var refusing = Task.WhenAll(invalidCases.Select(invalid => InSlotAsync(slots, () => RenderRefusalAsync(helm, invalid, ct), ct)));
            var preparing = Task.Run(ManifestValidator.Prepare, ct); // ManifestValidate's parser gets ready while helm renders.
            await Task.WhenAll(rendering, refusing, preparing);
            var rendered = rendering.Result;

            var wrong = new List<string>();
            foreach (var (invalid, refusal) in invalidCases.Zip(refusing.Result))
            {
                if (refusal is null)
                    wrong.Add($"ci/invalid/{invalid.Name}: accepted, but the schema must reject it (expected an error naming '{invalid.ExpectedError}')");
                else if (!HelmSchemaErrors.Parse(refusal).Names(invalid.ExpectedError))
                    wrong.Add($"ci/invalid/{invalid.Name}: rejected, but the error does not name '{invalid.ExpectedError}': {refusal.Trim()}");
                else
                    Log.Info($"rejected as expected: ci/invalid/{invalid.Name} ({invalid.ExpectedError})");
            }

            if (wrong.Count > 0)
                throw new InvalidOperationException($"Invalid values cases did not fail as they must:{Environment.NewLine}{string.Join(Environment.NewLine, wrong)}");
            Log.Info($"rendered {rendered.Length} cases into {Path.GetRelativePath(RootDirectory, ManifestsDirectory)}");
            return new RenderedChart(ChartPath, rendered);
        });

    Target ManifestValidate => _ => _
        .Description("Validate every rendered object strictly against the Kubernetes API types and removed apiVersions")
        .DependsOn(ChartRender)
        .Produces(async ct =>
        {
            var kubeconform = KubeconformCheck.FromPath(Processes, Log);
            var kubeVersion = Version.Parse(KubeVersion);
            var cases = new List<ValidatedCase>();
            var problems = new List<string>();
            foreach (var rendered in ResultOf<RenderedChart>(ChartRender).Cases)
            {
                var yaml = await File.ReadAllTextAsync(rendered.ManifestFile, ct);
                var name = Path.GetRelativePath(RootDirectory, rendered.ManifestFile);
                var result = ManifestValidator.Validate(yaml, name, kubeVersion);
                var second = await kubeconform.RunIfAvailableAsync(yaml, name, kubeVersion, ct);
                problems.AddRange(result.Problems.Concat(second).Select(problem => $"{name}: {problem}"));
                Log.Info($"{rendered.Name}: {result.Objects.Count} objects, {result.Problems.Count + second.Count} problems");
                cases.Add(new ValidatedCase(rendered.Name, rendered.ManifestFile, result));
            }

            if (problems.Count > 0)
                throw new InvalidOperationException($"{problems.Count} rendered objects are not valid Kubernetes {KubeVersion}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
            return new ValidatedChart(cases);
        });

    Target ChartPolicy => _ => _
        .Description("Policy gate over the validated objects: non-root, read-only root fs, probes, pinned images, resources, ...")
        .DependsOn(ManifestValidate)
        .Executes(() =>
        {
            var findings = ResultOf<ValidatedChart>(ManifestValidate).Cases.SelectMany(validated => PolicyGate.Evaluate(validated.Validation).Findings).ToList();
            foreach (var finding in findings)
            {
                if (finding.Blocks)
                    Log.Error(finding.ToString());
                else
                    Log.Warning(finding.ToString());
            }

            var blocking = findings.Count(finding => finding.Blocks);
            if (blocking > 0)
                throw new InvalidOperationException($"{blocking} policy findings block the chart (each names its rule and fix above).");
            Log.Info($"policy passed: {findings.Count} non-blocking findings");
        });

    /// <summary>How many helm renders ChartRender runs at once: the engine's --max-parallel.</summary>
    int RenderConcurrency => Math.Max(1, ParameterValue<int>("MaxParallel"));

    private async Task<RenderedCase> RenderCaseAsync(HelmCli helm, ValuesCase values, CancellationToken cancellationToken)
    {
        var manifest = Path.Combine(ManifestsDirectory, $"{values.Name}.yaml");
        await File.WriteAllTextAsync(manifest, await helm.TemplateAsync(ChartPath, "release", values.ValuesFile, KubeVersion, cancellationToken), cancellationToken);
        return new RenderedCase(values.Name, manifest);
    }

    private static async Task<T> InSlotAsync<T>(SemaphoreSlim slots, Func<Task<T>> run, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            return await run();
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<string?> RenderRefusalAsync(HelmCli helm, InvalidValuesCase invalid, CancellationToken cancellationToken)
    {
        try
        {
            await helm.TemplateAsync(ChartPath, "release", invalid.ValuesFile, KubeVersion, cancellationToken);
            return null;
        }
        catch (HelmException refusal)
        {
            return refusal.Message;
        }
    }
}
