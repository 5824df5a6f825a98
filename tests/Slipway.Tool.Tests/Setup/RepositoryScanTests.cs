using Slipway.Processes;
using Slipway.Tool.Setup;

namespace Slipway.Tool.Tests.Setup;

public sealed class RepositoryScanTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private void Project(string path, string sdk = RepositoryScan.WebSdk) => Write(path, $"<Project Sdk=\"{sdk}\"></Project>");

    private void Chart(string name) => Write($"charts/{name}/Chart.yaml", $"apiVersion: v2\nname: {name}\nversion: 0.1.0\n");

    private void Write(string path, string text)
    {
        var full = _root.Combine(path.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void The_service_is_the_only_ASP_NET_Core_project_outside_build_output_and_hidden_folders()
    {
        Project("src/Orders/Orders.csproj");
        Project("src/Orders.Domain/Orders.Domain.csproj", "Microsoft.NET.Sdk");
        Project("tests/Orders.Tests/Orders.Tests.csproj", "Microsoft.NET.Sdk");
        Project("src/Orders/bin/Release/Copy.csproj");
        Project("build/_build.csproj");
        Project(".tools/Other.csproj");

        Assert.Equal("src/Orders/Orders.csproj", RepositoryScan.FindServiceProject(_root.Path));
    }

    [Fact]
    public void A_web_SDK_named_in_an_Sdk_element_or_with_a_version_counts()
    {
        Write("src/A/A.csproj", $"<Project><Sdk Name=\"{RepositoryScan.WebSdk}\" /></Project>");

        Assert.Equal("src/A/A.csproj", RepositoryScan.FindServiceProject(_root.Path));

        Write("src/A/A.csproj", $"<Project Sdk=\"{RepositoryScan.WebSdk}/10.0.100\"></Project>");
        Assert.Equal("src/A/A.csproj", RepositoryScan.FindServiceProject(_root.Path));
    }

    [Fact]
    public void No_service_or_several_fail_saying_to_pass_project()
    {
        Project("src/Lib/Lib.csproj", "Microsoft.NET.Sdk");
        var none = Assert.Throws<SetupException>(() => RepositoryScan.FindServiceProject(_root.Path));
        Assert.Equal($"No ASP.NET Core project (Sdk=\"Microsoft.NET.Sdk.Web\") in {_root.Path}: the pipeline releases a service's image. Pass --project <path of the service's .csproj>.", none.Message);

        Project("src/A/A.csproj");
        Project("src/B/B.csproj");
        var several = Assert.Throws<SetupException>(() => RepositoryScan.FindServiceProject(_root.Path));
        Assert.Equal($"Several ASP.NET Core projects in {_root.Path} (src/A/A.csproj, src/B/B.csproj): pass --project <one of them>, the service to release.", several.Message);
    }

    [Fact]
    public void An_unreadable_project_file_is_named()
    {
        Write("src/A/A.csproj", "<Project");

        var exception = Assert.Throws<SetupException>(() => RepositoryScan.FindServiceProject(_root.Path));

        Assert.StartsWith($"{_root.Combine("src", "A", "A.csproj")} is not a readable project file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_is_the_only_folder_under_charts_with_a_Chart_yaml()
    {
        Chart("orders");
        Directory.CreateDirectory(_root.Combine("charts", "notes"));

        Assert.Equal("charts/orders", RepositoryScan.FindChart(_root.Path));

        Chart("payments");
        var several = Assert.Throws<SetupException>(() => RepositoryScan.FindChart(_root.Path));
        Assert.Contains("(charts/orders, charts/payments): pass --chart <one of them>.", several.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_chart_fails_saying_where_to_put_it()
    {
        var exception = Assert.Throws<SetupException>(() => RepositoryScan.FindChart(_root.Path));

        Assert.Equal($"No chart in {_root.Combine("charts")}: the pipeline releases the service with its Helm chart. Add it as charts/<name>/Chart.yaml, or pass --chart <folder>.", exception.Message);
    }

    [Fact]
    public async Task The_root_is_git_s_top_folder_and_the_SDK_is_what_dotnet_answers_there()
    {
        Project("src/Orders/Orders.csproj");
        Chart("orders");
        var runner = Answering("10.0.401\n");

        var facts = await new RepositoryScan(runner).ScanAsync(_root.Combine("src"), new SetupOptions());

        Assert.Equal(new RepositoryFacts(_root.Path, "src/Orders/Orders.csproj", "charts/orders", false, new DotNetSdk(10, 0, 401)), facts);
        Assert.Equal(_root.Combine("src"), runner.Commands[0].WorkingDirectory);
        Assert.Equal(("dotnet", _root.Path), (runner.Commands[1].FileName, runner.Commands[1].WorkingDirectory));
    }

    [Fact]
    public async Task Named_project_and_chart_are_checked_and_a_named_chart_is_marked_so()
    {
        Project("src/A/A.csproj");
        Project("src/B/B.csproj");
        Chart("a");
        Chart("b");
        var scan = new RepositoryScan(Answering("10.0.100"));

        var facts = await scan.ScanAsync(_root.Path, new SetupOptions { Project = "src/B/B.csproj", Chart = "charts/b" });
        Assert.Equal(("src/B/B.csproj", "charts/b", true), (facts.ServiceProject, facts.Chart, facts.ChartNamed));

        var project = await Assert.ThrowsAsync<SetupException>(() => scan.ScanAsync(_root.Path, new SetupOptions { Project = "src/C/C.csproj", Chart = "charts/b" }));
        Assert.StartsWith("--project src/C/C.csproj: ", project.Message, StringComparison.Ordinal);
        var chart = await Assert.ThrowsAsync<SetupException>(() => scan.ScanAsync(_root.Path, new SetupOptions { Project = "src/B/B.csproj", Chart = "charts/c" }));
        Assert.Equal($"--chart charts/c: {_root.Combine("charts", "c")} holds no Chart.yaml. Name the chart's folder, relative to {_root.Path}.", chart.Message);
    }

    [Fact]
    public async Task Outside_a_git_work_tree_setup_stops_saying_why_versions_need_one()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(128, stderr: "fatal: not a git repository (or any of the parent directories): .git"));

        var exception = await Assert.ThrowsAsync<SetupException>(() => new RepositoryScan(runner).ScanAsync(_root.Path, new SetupOptions()));

        Assert.Equal($"{_root.Path} is not inside a git work tree (fatal: not a git repository (or any of the parent directories): .git): versions come from git history and tags. Run git init (and commit) first.", exception.Message);
    }

    [Theory]
    [InlineData("10.0.401", "net10.0", "10.0.400")]
    [InlineData("10.0.100", "net10.0", "10.0.100")]
    [InlineData("11.0.100-preview.3.26170.1", "net11.0", "11.0.100")]
    [InlineData("9.0.312", "net9.0", "9.0.300")]
    public void The_SDK_gives_the_framework_and_the_feature_band(string version, string framework, string band)
    {
        var sdk = DotNetSdk.Parse(version, "/repo");

        Assert.Equal((framework, band), (sdk.TargetFramework, sdk.Band));
    }

    [Fact]
    public void An_answer_that_is_no_SDK_version_is_named()
    {
        var exception = Assert.Throws<SetupException>(() => DotNetSdk.Parse("The command could not be loaded", "/repo"));

        Assert.StartsWith("'dotnet --version' answered 'The command could not be loaded' in /repo, not an SDK version", exception.Message, StringComparison.Ordinal);
    }

    private FakeProcessRunner Answering(string sdkVersion) => new(command => command.FileName == "git"
        ? FakeProcessRunner.Exit(0, _root.Path + "\n")
        : FakeProcessRunner.Exit(0, sdkVersion));
}
