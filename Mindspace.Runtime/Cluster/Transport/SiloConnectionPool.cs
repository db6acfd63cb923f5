using System.Collections.Concurrent;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// The client side of the cluster transport: sends grain calls to other silos over long-lived
/// connections (<see cref="ClusterTransportOptions.ConnectionsPerSilo"/> per silo, opened on first
/// use — once, however many calls race for it — and again after one dies), many calls in flight on
/// each. Failures: the call never reached the silo → <see cref="CallNotSentException"/> (safe to send
/// again); the connection died after it was sent → <see cref="SiloConnectionLostException"/>; no answer
/// by the request's deadline → <see cref="TimeoutException"/>.
/// </summary>
public sealed class SiloConnectionPool : IAsyncDisposable
{
    /// <summary>How often pending calls are checked against their deadlines.</summary>
    internal static readonly TimeSpan DeadlineCheckInterval = TimeSpan.FromMilliseconds(50);

    private readonly ClusterTransportOptions _options;
    private readonly ILogger _logger;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly ConcurrentDictionary<SiloAddress, ConnectionGroup> _groups = new();

    /// <summary>Every open connection, including ones no longer in a slot (draining after GoAway) until they close.</summary>
    private readonly ConcurrentDictionary<SiloConnection, byte> _live = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly Timer _deadlines;
    private int _sweeping;
    private int _disposed;

    public SiloConnectionPool(ClusterTransportOptions options, ILogger<SiloConnectionPool>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger<SiloConnectionPool>.Instance;
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), _logger);
        _deadlines = new Timer(static state => ((SiloConnectionPool)state!).SweepDeadlines(), this, DeadlineCheckInterval, DeadlineCheckInterval);
    }

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="target"/> and returns its answer (which may be
    /// <see cref="GrainResponse.NotOwner"/>). <paramref name="cancellationToken"/> stops the waiting
    /// (the call may still run); the request's deadline bounds it.
    /// </summary>
    /// <exception cref="CallNotSentException">The silo could not be reached or the connection closed before the request left.</exception>
    /// <exception cref="SiloConnectionLostException">The connection closed after the request left and before its answer.</exception>
    /// <exception cref="TimeoutException">No answer by the request's deadline.</exception>
    /// <exception cref="InvalidOperationException">The request is larger than <see cref="ClusterTransportOptions.MaxFrameBytes"/>.</exception>
    public Task<GrainResponse> SendAsync(SiloAddress target, GrainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GrainResponse>(cancellationToken);
        }

        if (request.Deadline.UtcTicks <= DateTime.UtcNow.Ticks)
        {
            return Task.FromException<GrainResponse>(new TimeoutException(
                $"The call {request.InterfaceName}.{request.MethodKey} to {request.Target} was not sent to silo {target}: its deadline had passed."));
        }

        if (!FitsInFrame(request))
        {
            return Task.FromException<GrainResponse>(new InvalidOperationException(
                $"The call {request.InterfaceName}.{request.MethodKey} to {request.Target} is larger than the cluster transport's frame limit of {_options.MaxFrameBytes} bytes."));
        }

        var call = new PendingCall(request);
        if (cancellationToken.CanBeCanceled)
        {
            call.WatchCancellation(cancellationToken);
        }

        var connecting = Connection(target);
        return connecting.IsCompletedSuccessfully && connecting.Result.TrySend(call)
            ? call.Task
            : SendWhenConnectedAsync(target, call, connecting, cancellationToken);
    }

    /// <summary>
    /// Closes the connections to <paramref name="silo"/> (known dead or gone): its pending calls fail
    /// as described on <see cref="SendAsync"/>; a later call opens a new connection.
    /// </summary>
    public void Disconnect(SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (_groups.TryRemove(silo, out var group))
        {
            group.MarkClosed();
        }

        foreach (var connection in _live.Keys)
        {
            if (connection.Address == silo)
            {
                connection.Close("disconnected: the silo is known to be gone");
            }
        }
    }

    /// <summary>Fails every pending call (not sent → <see cref="CallNotSentException"/>, sent → <see cref="SiloConnectionLostException"/>) and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await _deadlines.DisposeAsync().ConfigureAwait(false);
        var closing = new List<Task>();
        foreach (var silo in _groups.Keys)
        {
            if (_groups.TryRemove(silo, out var group))
            {
                closing.AddRange(group.MarkClosed());
            }
        }

        foreach (var connection in _live.Keys)
        {
            connection.Close("the connection pool was disposed");
            closing.Add(connection.Completion);
        }

        foreach (var task in closing)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SiloUnavailableException || TransportErrors.IsConnectionFailure(exception))
            {
                // A connection that was still opening: the disposal stopped it.
            }
        }

        _sockets.Dispose();
    }

    /// <summary>Calls to <paramref name="silo"/> waiting for an answer (for tests: no entry may leak).</summary>
    internal int PendingCount(SiloAddress silo) => _live.Keys.Where(c => c.Address == silo).Sum(c => c.PendingCount);

    /// <summary>True if a connection to <paramref name="silo"/> takes new calls (false once the silo announced its shutdown).</summary>
    internal bool HasOpenConnection(SiloAddress silo) => _live.Keys.Any(c => c.Address == silo && c.IsUsable);

    private async Task<GrainResponse> SendWhenConnectedAsync(SiloAddress target, PendingCall call, Task<SiloConnection> connecting, CancellationToken cancellationToken)
    {
        try
        {
            // A connection that closed between lookup and send is replaced: the call has not been queued yet.
            for (var attempt = 1; ; attempt++)
            {
                var remaining = TimeSpan.FromTicks(call.DeadlineTicks - DateTime.UtcNow.Ticks);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                var connection = await connecting.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
                if (connection.TrySend(call))
                {
                    break;
                }

                if (attempt == 3)
                {
                    throw new CallNotSentException($"The connections to silo {target} kept closing; the call was not sent.");
                }

                connecting = Connection(target);
            }
        }
        catch (Exception exception)
        {
            call.Finish();
            if (exception is TimeoutException)
            {
                throw new TimeoutException(
                    $"The call {call.Request.InterfaceName}.{call.Request.MethodKey} to {call.Request.Target} was not sent: no connection to silo {target} before its deadline.");
            }

            throw;
        }

        return await call.Task.ConfigureAwait(false);
    }

    /// <summary>A usable (or opening) connection to <paramref name="target"/>; opens one if needed.</summary>
    private Task<SiloConnection> Connection(SiloAddress target)
    {
        var group = _groups.GetOrAdd(target, static (address, size) => new ConnectionGroup(size), _options.ConnectionsPerSilo);
        var slot = group.NextSlot();
        var current = Volatile.Read(ref group.Slots[slot]);
        if (current is not null && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsUsable)))
        {
            return current;
        }

        lock (group)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            current = group.Slots[slot];
            if (current is null || (current.IsCompleted && !(current.IsCompletedSuccessfully && current.Result.IsUsable)))
            {
                current = OpenAsync(target, group);
                Volatile.Write(ref group.Slots[slot], current);
            }

            return current;
        }
    }

    private async Task<SiloConnection> OpenAsync(SiloAddress target, ConnectionGroup group)
    {
        await Task.Yield(); // never connect under the group's lock
        var connection = await SiloConnection.OpenAsync(target, _options, _sockets, _logger, _disposing.Token).ConfigureAwait(false);
        _live[connection] = 0;
        _ = ForgetWhenClosedAsync(connection);
        if (group.IsClosed || Volatile.Read(ref _disposed) != 0)
        {
            connection.Close("disconnected: the silo is known to be gone");
            await connection.Completion.ConfigureAwait(false);
            throw new CallNotSentException($"The connection to silo {target} was dropped (the silo is known to be gone); the call was not sent.");
        }

        return connection;
    }

    private async Task ForgetWhenClosedAsync(SiloConnection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        _live.TryRemove(connection, out _);
    }

    private bool FitsInFrame(GrainRequest request)
    {
        var bound = FrameWriter.RequestPayloadUpperBound(request);
        return bound <= _options.MaxFrameBytes
            || (bound <= int.MaxValue && FrameWriter.RequestPayloadSize(request) <= _options.MaxFrameBytes);
    }

    private void SweepDeadlines()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            var now = DateTime.UtcNow.Ticks;
            foreach (var entry in _live)
            {
                entry.Key.Sweep(now);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>The connections (open or opening) to one silo.</summary>
    private sealed class ConnectionGroup(int size)
    {
        public readonly Task<SiloConnection>?[] Slots = new Task<SiloConnection>?[size];
        private int _next;
        private volatile bool _closed;

        public bool IsClosed => _closed;

        public int NextSlot() => Slots.Length == 1 ? 0 : (int)((uint)Interlocked.Increment(ref _next) % (uint)Slots.Length);

        /// <summary>Stops the group handing out connections; returns the connections still opening.</summary>
        public List<Task> MarkClosed()
        {
            _closed = true;
            lock (this)
            {
                return [.. Slots.Where(slot => slot is { IsCompleted: false }).Select(slot => (Task)slot!)];
            }
        }
    }
}
