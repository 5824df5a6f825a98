using System.Xml.Linq;

namespace Slipway.Release.Containers;

/// <summary><see cref="IProjectReferences"/> from the project file's XML: the <c>Include</c> of every <c>ProjectReference</c>.</summary>
public sealed class ProjectFileReferences : IProjectReferences
{
    public IReadOnlyList<string> Of(string projectFile)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        return [.. XDocument.Load(projectFile).Descendants()
            .Where(element => element.Name.LocalName == "ProjectReference")
            .Select(element => element.Attribute("Include")?.Value)
            .OfType<string>()
            .SelectMany(include => include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(include => include.Contains("$(", StringComparison.Ordinal) || include.Contains('*', StringComparison.Ordinal)
                ? throw new InvalidDataException($"{projectFile} references '{include}', which only MSBuild can expand")
                : Path.GetFullPath(include.Replace('\\', '/'), directory))];
    }
}
