using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// One authenticated connection on the server side. The read loop decodes requests and starts each
/// on the thread pool (calls of one connection run in parallel); finished calls queue their
/// responses, and a single writer loop encodes whatever is queued and flushes once the queue is
/// empty, so many responses share one flush. On server shutdown it sends GoAway, stops reading,
/// lets the calls already read finish and answers them before closing.
/// </summary>
internal sealed class InboundConnection : IFrameSink
{
    /// <summary>Flush at least this often while a burst of responses is being encoded.</summary>
    private const int FlushThresholdBytes = 64 * 1024;

    private readonly ConnectionContext _connection;
    private readonly FrameReader _reader;
    private readonly IInboundCallHandler _handler;
    private readonly int _maxFrameBytes;
    private readonly ILogger _logger;
    private readonly Channel<Outbound> _outbox = Channel.CreateUnbounded<Outbound>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    /// <summary>Cancelled when the connection ends: the token handed to every call.</summary>
    private readonly CancellationTokenSource _callerGone = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _draining;

    public InboundConnection(ConnectionContext connection, FrameReader reader, IInboundCallHandler handler, int maxFrameBytes, ILogger logger)
    {
        _connection = connection;
        _reader = reader;
        _handler = handler;
        _maxFrameBytes = maxFrameBytes;
        _logger = logger;
    }

    /// <summary>Serves requests until the peer closes, the server shuts down, or a frame is invalid.</summary>
    public async Task RunAsync()
    {
        var writing = WriteLoopAsync();
        var shutdown = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((InboundConnection)state!).BeginDrain(), this);
        try
        {
            while (await _reader.ReadBatchAsync(this, CancellationToken.None).ConfigureAwait(false))
            {
            }

            if (_draining && Volatile.Read(ref _inFlight) > 0)
            {
                TransportLog.InboundDraining(_logger, _connection.ConnectionId, Volatile.Read(ref _inFlight));
                await _drained.Task.WaitAsync(_connection.ConnectionClosed).ConfigureAwait(false);
            }

            TransportLog.InboundClosed(_logger, _connection.ConnectionId, _connection.RemoteEndPoint?.ToString());
        }
        catch (FrameFormatException exception)
        {
            TransportLog.InboundMalformed(_logger, _connection.ConnectionId, _connection.RemoteEndPoint?.ToString(), exception.Message);
            _connection.Abort(new ConnectionAbortedException("Invalid frame."));
        }
        catch (Exception exception) when (TransportErrors.IsConnectionFailure(exception))
        {
            TransportLog.InboundClosed(_logger, _connection.ConnectionId, _connection.RemoteEndPoint?.ToString());
        }
        finally
        {
            shutdown?.Dispose();
            _outbox.Writer.TryComplete();
            await _callerGone.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
    }

    /// <summary>Handles one frame of the read loop (on the read loop: decode and hand off, nothing more).</summary>
    public void OnFrame(FrameKind kind, ReadOnlySpan<byte> payload)
    {
        if (kind != FrameKind.Request)
        {
            throw new FrameFormatException($"A client may not send a {kind} frame after the handshake.");
        }

        var request = FrameDecoder.ReadRequest(payload, out var callId);
        if (request.Deadline.UtcTicks <= DateTime.UtcNow.Ticks)
        {
            _outbox.Writer.TryWrite(new Outbound(callId, GrainResponse.Failed(new TimeoutException(
                $"The call {request.InterfaceName}.{request.MethodKey} to {request.Target} arrived after its deadline; it did not run."))));
            return;
        }

        Interlocked.Increment(ref _inFlight);
        ThreadPool.UnsafeQueueUserWorkItem(new InboundCall(this, callId, request), preferLocal: false);
    }

    /// <summary>Runs one call (on the thread pool) and queues its response.</summary>
    private async Task RunCallAsync(long callId, GrainRequest request)
    {
        try
        {
            GrainResponse response;
            try
            {
                response = await _handler.HandleAsync(request, _callerGone.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The inbound call handler returned no response.");
            }
            catch (Exception exception)
            {
                response = GrainResponse.Failed(exception);
            }

            if (FrameWriter.ResponsePayloadSize(response) > _maxFrameBytes)
            {
                response = GrainResponse.Failed(new InvalidOperationException(
                    $"The response of {request.InterfaceName}.{request.MethodKey} on {request.Target} exceeds the cluster transport's frame limit of {_maxFrameBytes} bytes."));
            }

            _outbox.Writer.TryWrite(new Outbound(callId, response));
        }
        catch (Exception exception)
        {
            TransportLog.ResponseFailed(_logger, exception, _connection.ConnectionId);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>
    /// How long the server keeps reading after its GoAway. Requests the client wrote before the
    /// GoAway reached it are still on their way; stopping at once would leave them unread and the
    /// client could not know whether they ran. After a GoAway the client sends nothing new.
    /// </summary>
    private static readonly TimeSpan GoAwayGrace = TimeSpan.FromSeconds(1);

    /// <summary>Server shutdown: tell the client, answer what is still arriving for a moment, then stop reading and let the calls in flight finish.</summary>
    private void BeginDrain()
    {
        if (_draining)
        {
            return;
        }

        _draining = true;
        _outbox.Writer.TryWrite(new Outbound(0, null));
        _ = StopReadingAfterGraceAsync();
    }

    private async Task StopReadingAfterGraceAsync()
    {
        await Task.Delay(GoAwayGrace, _connection.ConnectionClosed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_connection.ConnectionClosed.IsCancellationRequested)
        {
            _connection.Transport.Input.CancelPendingRead();
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
                while (queue.TryRead(out var item))
                {
                    if (item.Response is { } response)
                    {
                        unflushed += FrameWriter.WriteResponse(output, item.CallId, response);
                    }
                    else
                    {
                        FrameWriter.WriteGoAway(output);
                        unflushed += FrameWriter.HeaderSize;
                    }

                    if (unflushed >= FlushThresholdBytes)
                    {
                        unflushed = 0;
                        if ((await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                        {
                            return;
                        }
                    }
                }

                if (unflushed > 0 && (await output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (TransportErrors.IsConnectionFailure(exception))
        {
            _connection.Abort();
        }
        catch (Exception exception)
        {
            TransportLog.InboundFailed(_logger, exception, _connection.ConnectionId, _connection.RemoteEndPoint?.ToString());
            _connection.Abort();
        }
    }

    /// <summary>A response to write, or (with no response) a GoAway frame.</summary>
    private readonly record struct Outbound(long CallId, GrainResponse? Response);

    /// <summary>Starts one call on the thread pool without a closure or a Task.Run.</summary>
    private sealed class InboundCall(InboundConnection connection, long callId, GrainRequest request) : IThreadPoolWorkItem
    {
        public void Execute() => _ = connection.RunCallAsync(callId, request);
    }
}
