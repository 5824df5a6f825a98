namespace Slipway.Release.Manifests;

/// <summary>Why one rendered object is not valid Kubernetes: where it is, which object, which field.</summary>
public sealed record ManifestProblem(string File, int Line, string Object, string? Field, string Message)
{
    public override string ToString() => Field is null
        ? $"{File}:{Line}: {Object}: {Message}"
        : $"{File}:{Line}: {Object}: {Field}: {Message}";
}

/// <summary>The objects that parsed strictly, and the problems of those that did not.</summary>
public sealed record ManifestValidationResult(IReadOnlyList<RenderedObject> Objects, IReadOnlyList<ManifestProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
