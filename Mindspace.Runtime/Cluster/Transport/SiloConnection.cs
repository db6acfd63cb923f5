using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// The client side of one long-lived, authenticated connection to a silo. Callers queue requests;
/// a single writer loop encodes everything queued and flushes once per batch; a single read loop
/// completes the pending calls by call id (their continuations run on the thread pool, never on
/// the reader). When the connection dies every pending call fails — with
/// <see cref="CallNotSentException"/> if its bytes never left, else with
/// <see cref="SiloConnectionLostException"/> — and the connection is never used again.
/// </summary>
internal sealed class SiloConnection : IFrameSink
{
    /// <summary>Flush at least this often while a burst of requests is being encoded.</summary>
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly ConnectionContext _connection;
    private readonly FrameReader _reader;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly Channel<PendingCall> _outbox = Channel.CreateUnbounded<PendingCall>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private long _lastCallId;
    private int _closing;
    private volatile bool _draining;

    private SiloConnection(SiloAddress address, ConnectionContext connection, FrameReader reader, ILogger logger)
    {
        Address = address;
        _connection = connection;
        _reader = reader;
        _logger = logger;
    }

    public SiloAddress Address { get; }

    /// <summary>False once the connection closed or the silo announced its shutdown: new calls need another connection.</summary>
    public bool IsUsable => Volatile.Read(ref _closing) == 0 && !_draining;

    /// <summary>Calls waiting for an answer (tests check that none leak).</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Completes (never faults) when both loops ended and the socket is closed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Connects, runs the handshake and starts the loops. Any failure is a
    /// <see cref="CallNotSentException"/> naming the silo (never the secret).
    /// </summary>
    public static async Task<SiloConnection> OpenAsync(
        SiloAddress address,
        ClusterTransportOptions options,
        SocketConnectionContextFactory factory,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        ConnectionContext? context = null;
        var stage = "connect";
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(options.ConnectTimeout);
                await socket.ConnectAsync(address.Host, address.Port, connectTimeout.Token).ConfigureAwait(false);
            }

            stage = "handshake";
            context = factory.Create(socket);
            var reader = new FrameReader(context.Transport.Input, options.MaxFrameBytes);
            using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshakeTimeout.CancelAfter(options.HandshakeTimeout);
                await HandshakeProtocol.ConnectAsync(reader, context.Transport.Output, options.Secret, handshakeTimeout.Token).ConfigureAwait(false);
            }

            var connection = new SiloConnection(address, context, reader, logger);
            connection.Completion = connection.RunAsync();
            TransportLog.Connected(logger, address);
            return connection;
        }
        catch (Exception exception)
        {
            if (context is not null)
            {
                context.Abort();
                await context.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            var problem = exception switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => "the connection pool was disposed.",
                OperationCanceledException when stage == "connect" => $"no connection within {options.ConnectTimeout.TotalSeconds:0.###} s.",
                OperationCanceledException => $"no handshake within {options.HandshakeTimeout.TotalSeconds:0.###} s.",
                HandshakeFailedException => exception.Message,
                _ => $"{stage} failed: {exception.Message}",
            };
            TransportLog.ConnectFailed(logger, address, problem);
            throw new CallNotSentException($"Could not open a cluster connection to silo {address}: {problem}", exception);
        }
    }

    /// <summary>
    /// Queues <paramref name="call"/> on this connection. False if the connection can take no new
    /// calls (the call is untouched and may go to another connection).
    /// </summary>
    public bool TrySend(PendingCall call)
    {
        if (!IsUsable)
        {
            return false;
        }

        var callId = Interlocked.Increment(ref _lastCallId);
        call.AssignTo(this, callId);
        _pending[callId] = call;
        if (!_outbox.Writer.TryWrite(call))
        {
            // Closed meanwhile. If the close already took the call, it fails it; otherwise it is still ours to resend.
            return !_pending.TryRemove(callId, out _);
        }

        if (call.IsDone)
        {
            _pending.TryRemove(callId, out _);
        }

        return true;
    }

    /// <summary>Drops a call that was cancelled by its caller.</summary>
    public void Forget(PendingCall call) => _pending.TryRemove(new KeyValuePair<long, PendingCall>(call.CallId, call));

    /// <summary>Fails every pending call whose deadline passed (and drops any already done).</summary>
    public void Sweep(long nowTicks)
    {
        foreach (var entry in _pending)
        {
            var call = entry.Value;
            if ((call.DeadlineTicks <= nowTicks || call.IsDone) && _pending.TryRemove(entry))
            {
                call.Fail(new TimeoutException(
                    $"The call {call.Request.InterfaceName}.{call.Request.MethodKey} to {call.Request.Target} on silo {Address} got no answer before its deadline."));
            }
        }
    }

    /// <summary>
    /// Closes the connection (idempotent) and fails every pending call: not sent →
    /// <see cref="CallNotSentException"/>, sent → <see cref="SiloConnectionLostException"/>.
    /// </summary>
    public void Close(string problem, Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        _connection.Abort(new ConnectionAbortedException(problem));
        int unsent = 0, sent = 0;
        foreach (var entry in _pending)
        {
            if (!_pending.TryRemove(entry))
            {
                continue;
            }

            var call = entry.Value;
            switch (call.Finish())
            {
                case PendingCall.Queued:
                    unsent++;
                    call.TrySetException(NotSent(call, problem, exception));
                    break;
                case PendingCall.Sent:
                    sent++;
                    call.TrySetException(new SiloConnectionLostException(
                        $"The connection to silo {Address} closed ({problem}) after the call {call.Request.InterfaceName}.{call.Request.MethodKey} " +
                        $"to {call.Request.Target} was sent and before its answer came: it may or may not have run.",
                        exception));
                    break;
            }
        }

        if (unsent + sent > 0)
        {
            TransportLog.ConnectionLost(_logger, Address, unsent, sent, problem);
        }
        else
        {
            TransportLog.ConnectionClosed(_logger, Address, problem);
        }
    }

    /// <summary>Handles one frame on the read loop: completes the call it answers.</summary>
    public void OnFrame(FrameKind kind, ReadOnlySpan<byte> payload)
    {
        switch (kind)
        {
            case FrameKind.Response:
                if (_pending.TryRemove(FrameDecoder.ReadCallId(payload), out var call))
                {
                    call.Complete(FrameDecoder.ReadResponse(payload));
                }

                break;
            case FrameKind.GoAway:
                if (!_draining)
                {
                    _draining = true;
                    TransportLog.GoAwayReceived(_logger, Address);
                    _outbox.Writer.TryComplete();
                }

                break;
            default:
                throw new FrameFormatException($"A silo may not send a {kind} frame after the handshake.");
        }
    }

    private async Task RunAsync()
    {
        var writing = WriteLoopAsync();
        string problem;
        Exception? failure = null;
        try
        {
            while (await _reader.ReadBatchAsync(this, CancellationToken.None).ConfigureAwait(false))
            {
            }

            problem = "the silo closed it";
        }
        catch (FrameFormatException exception)
        {
            problem = $"the silo sent an invalid frame: {exception.Message}";
            failure = exception;
        }
        catch (Exception exception)
        {
            problem = exception.Message;
            failure = exception;
        }

        Close(problem, failure);
        await writing.ConfigureAwait(false);
        _reader.Release();
        try
        {
            await _connection.Transport.Input.CompleteAsync().ConfigureAwait(false);
            await _connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (TransportErrors.IsConnectionFailure(exception))
        {
            // The socket is gone either way.
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _connection.Transport.Output;
        var queue = _outbox.Reader;
        try
        {
            while (await queue.WaitToReadAsync().ConfigureAwait(false))
            {
                var unflushed = 0;
                while (queue.TryRead(out var call))
                {
                    if (_draining)
                    {
                        // The silo reads no more requests on this connection: what is still queued never left.
                        if (_pending.TryRemove(new KeyValuePair<long, PendingCall>(call.CallId, call)) && call.Finish() == PendingCall.Queued)
                        {
                            call.TrySetException(NotSent(call, "the silo is shutting down", null));
                        }

                        continue;
                    }

                    if (!call.TryMarkSent())
                    {
                        continue;
                    }

                    unflushed += FrameWriter.WriteRequest(output, call.CallId, call.Request);
                    if (unflushed >= FlushThresholdBytes)
                    {
                        unflushed = 0;
                        if ((await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                        {
                            Close("the socket stopped taking data");
                            return;
                        }
                    }
                }

                if (unflushed > 0 && (await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                {
                    Close("the socket stopped taking data");
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            Close(exception.Message, exception);
        }
    }

    private CallNotSentException NotSent(PendingCall call, string problem, Exception? exception)
        => new(
            $"The call {call.Request.InterfaceName}.{call.Request.MethodKey} to {call.Request.Target} was not sent: " +
            $"the connection to silo {Address} closed ({problem}) before it was written.",
            exception);
}
