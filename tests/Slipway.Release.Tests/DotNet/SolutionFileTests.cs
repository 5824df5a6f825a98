using Slipway.Release.DotNet;

namespace Slipway.Release.Tests.DotNet;

public sealed class SolutionFileTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("Ledger.sln")]
    [InlineData("Ledger.slnx")]
    public void The_only_solution_at_the_root_is_the_one(string name)
    {
        File.WriteAllText(_root.Combine(name), string.Empty);
        Directory.CreateDirectory(_root.Combine("src"));
        File.WriteAllText(_root.Combine("src", "Other.sln"), string.Empty);

        Assert.Equal(name, SolutionFile.Find(_root.Path));
    }

    [Fact]
    public void No_solution_is_none_and_the_problem_says_how_to_name_one()
    {
        Assert.Null(SolutionFile.Find(_root.Path));
        Assert.Equal(
            $"No solution to compile and test: {_root.Path} holds no *.sln or *.slnx. Add one (dotnet new sln), or pass --solution <file> (or set \"Solution\" in .nuke/parameters.json).",
            SolutionFile.Problem(_root.Path));
    }

    [Fact]
    public void Several_solutions_are_none_and_the_problem_lists_them()
    {
        File.WriteAllText(_root.Combine("B.slnx"), string.Empty);
        File.WriteAllText(_root.Combine("A.sln"), string.Empty);

        Assert.Null(SolutionFile.Find(_root.Path));
        Assert.StartsWith($"Several solutions in {_root.Path} (A.sln, B.slnx) and none chosen: pass --solution", SolutionFile.Problem(_root.Path), StringComparison.Ordinal);
    }
}
