using System.Globalization;
using System.Net.Sockets;

namespace Slipway.Release.Tests.Support;

internal static class Listening
{
    /// <summary>Whether anything accepts a TCP connection at <c>host:port</c>.</summary>
    public static bool Accepts(string address)
    {
        var colon = address.LastIndexOf(':');
        try
        {
            using var client = new TcpClient();
            client.Connect(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
