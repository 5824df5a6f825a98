namespace Slipway;

/// <summary>Keeps <c>.nuke/build.schema.json</c> in step with the build: one target writes it, one fails when the committed file is stale.</summary>
public interface IBuildSchema : ISlipwayBuild
{
    string BuildSchemaFile => Path.Combine(RootDirectory, ".nuke", "build.schema.json");

    Target UpdateBuildSchema => _ => _
        .Description("Write .nuke/build.schema.json from the build's targets and parameters")
        .Executes(() => File.WriteAllText(BuildSchemaFile, GenerateBuildSchema()));

    Target CheckBuildSchema => _ => _
        .Description("Fail when the committed .nuke/build.schema.json does not match the build")
        .ProceedAfterFailure()
        .Executes(() =>
        {
            var committed = File.Exists(BuildSchemaFile) ? File.ReadAllText(BuildSchemaFile) : null;
            if (committed != GenerateBuildSchema())
                throw new InvalidOperationException($"{BuildSchemaFile} is {(committed is null ? "missing" : "stale")}: run ./build.sh UpdateBuildSchema and commit it.");
            Log.Info("build.schema.json matches the build");
        });

    string GenerateBuildSchema();
}
