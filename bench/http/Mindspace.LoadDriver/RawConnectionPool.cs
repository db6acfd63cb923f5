using System.Net;
using System.Threading.Channels;

namespace Mindspace.LoadDriver;

/// <summary>
/// At most <c>size</c> <see cref="RawHttpConnection"/>s, opened as they are first needed; a request
/// that finds them all busy waits for the next one returned, in arrival order (as
/// <see cref="SocketsHttpHandler"/> with <c>MaxConnectionsPerServer</c> does).
/// </summary>
public sealed class RawConnectionPool(EndPoint endpoint, int size, TimeSpan timeout)
{
    private readonly Channel<RawHttpConnection> _idle = Channel.CreateUnbounded<RawHttpConnection>();
    private int _created;

    public ValueTask<RawHttpConnection> RentAsync()
    {
        if (_idle.Reader.TryRead(out var idle))
        {
            return new ValueTask<RawHttpConnection>(idle);
        }

        var created = Volatile.Read(ref _created);
        while (created < size)
        {
            var seen = Interlocked.CompareExchange(ref _created, created + 1, created);
            if (seen == created)
            {
                return new ValueTask<RawHttpConnection>(new RawHttpConnection(endpoint, timeout));
            }

            created = seen;
        }

        return _idle.Reader.ReadAsync();
    }

    /// <summary>Gives a connection back (a failed one too: it reconnects on its next exchange).</summary>
    public void Return(RawHttpConnection connection) => _idle.Writer.TryWrite(connection);

    public static EndPoint EndpointOf(Uri url)
        => new IPEndPoint(IPAddress.TryParse(url.Host, out var address) ? address : Dns.GetHostAddresses(url.DnsSafeHost)[0], url.Port);
}
