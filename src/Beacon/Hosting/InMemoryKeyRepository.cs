using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Beacon.Hosting;

/// <summary>Data protection key storage in memory. Beacon protects nothing that outlives the process
/// (no cookies, no antiforgery), and the container's root file system is read-only.</summary>
public sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly Lock gate = new();
    private readonly List<XElement> elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (gate)
        {
            return elements.Select(e => new XElement(e)).ToList();
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        lock (gate)
        {
            elements.Add(new XElement(element));
        }
    }
}
