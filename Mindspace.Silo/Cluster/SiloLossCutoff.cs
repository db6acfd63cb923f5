using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// Gives up, soon after a client (a gateway-only process) loses a connection to a silo, on the calls it
/// had in flight then, instead of letting each wait out the whole <see cref="ClusterTuning.ClientResponseTimeout"/>.
/// A call given up on that is safe to run twice is sent again at once; any other fails as a timed-out call
/// would (<see cref="TimeoutException"/>: the gateway answers 503, and the call may have run).
/// </summary>
/// <remarks>
/// <para>
/// An Orleans client is not told which silo ended up holding its call, and a silo forwards a client's call
/// without keeping track of it, so a call that was on its way to a silo that died gets no answer and no error:
/// it waits out the response timeout. Silos fail their own calls to a dead silo as soon as it is declared
/// dead; a client has nothing like it. What a client does see at once is its connection to the dead silo
/// closing (the kernel resets the sockets of a killed process); Orleans reports that as a drop in the number
/// of connected gateways (<see cref="GatewayCountChangedHandler"/>).
/// </para>
/// <para>
/// So every call notes, as it starts, the current <i>epoch</i>. When a connection closes, the current epoch
/// stays open to new calls for <see cref="Window"/> more (calls sent in the instant the process noticed may
/// still be forwarded to the dead silo by a gateway that has not noticed yet), then a new one begins; calls of
/// the old epoch still unanswered <see cref="Grace"/> after the close are given up on. Calls begun later, and
/// calls that answer in time, are untouched: a healthy silo answers in milliseconds, so only a call held up on
/// a busy machine for <see cref="Grace"/> right at the moment a silo is lost is failed early. That is a far
/// narrower risk than a shorter response timeout for every call, which the cold, busy 2-core machine made
/// fail (<see cref="ClusterTuning.ClientResponseTimeout"/>). Methods with their own longer
/// <see cref="ResponseTimeoutAttribute"/> (exports, erasure) are left alone.
/// </para>
/// <para>
/// The call given up on is not cancelled: it is left to finish unobserved (its answer, if it ever comes, is
/// dropped), exactly as Orleans leaves a call after its response timeout.
/// </para>
/// </remarks>
public sealed class SiloLossCutoff : IOutgoingGrainCallFilter
{
    /// <summary>
    /// How long after a connection to a silo closes the calls in flight then are given up on. About when the
    /// cluster declares a killed silo dead (<see cref="ClusterTuning"/>: 1.2–3.5 s under load), after which a
    /// call sent again finds the grain on a survivor.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>How long after a connection closes new calls still join the epoch that will be given up on.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a call given up on is sent again (only a method safe to run twice).</summary>
    private const int Resends = 2;

    private readonly TimeSpan _grace;
    private readonly TimeSpan _window;
    private Epoch _current;

    private readonly ILogger _logger;

    public SiloLossCutoff(ILogger<SiloLossCutoff> logger)
        : this(Grace, Window, logger)
    {
    }

    /// <summary>Other timings, for tests.</summary>
    internal SiloLossCutoff(TimeSpan grace, TimeSpan window, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _grace = grace;
        _window = window;
        _current = new Epoch(grace);
    }

    /// <summary>Connections to silos closed since the process started (each began a cutoff).</summary>
    public int Losses => _losses;

    private int _losses;

    /// <summary>Calls given up on so far.</summary>
    public int Abandoned => _abandoned;

    private int _abandoned;

    /// <summary>A <see cref="GatewayCountChangedHandler"/>: fewer connected gateways than before means a connection to a silo closed.</summary>
    public void OnGatewayCountChanged(object? sender, GatewayCountChangedEventArgs change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.NumberOfConnectedGateways < change.PreviousNumberOfConnectedGateways)
        {
            ClusterLog.SiloConnectionLost(_logger, change.NumberOfConnectedGateways, change.PreviousNumberOfConnectedGateways, _grace.TotalSeconds);
            OnConnectionLost();
        }
    }

    /// <summary>A connection to a silo closed: calls in flight now, or begun within <see cref="Window"/>, get <see cref="Grace"/> to answer.</summary>
    public void OnConnectionLost()
    {
        Interlocked.Increment(ref _losses);
        var epoch = Volatile.Read(ref _current);
        if (!epoch.BeginCutoff())
        {
            return; // a loss a moment ago already cuts this epoch off
        }

        _ = Task.Delay(_window).ContinueWith(
            _ => Interlocked.CompareExchange(ref _current, new Epoch(_grace), epoch),
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HasOwnTimeout(context.InterfaceMethod))
        {
            await context.Invoke();
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var cutoff = CurrentCutoff();
            var call = context.Invoke();
            if (call.IsCompleted)
            {
                await call;
                return;
            }

            try
            {
                await call.WaitAsync(cutoff);
                return;
            }
            catch (OperationCanceledException) when (cutoff.IsCancellationRequested && !call.IsCompleted)
            {
                Interlocked.Increment(ref _abandoned);
                _ = call.ContinueWith(static abandoned => _ = abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                var resend = attempt < Resends && RejectedCallRetry.IsSafeToResend(context);
                ClusterLog.GaveUpOnCall(_logger, context.InterfaceName, context.MethodName, resend ? "sent again" : "failed; it may have run");
                if (resend)
                {
                    Activity.Current?.AddEvent(new ActivityEvent("grain call in flight when a silo was lost; sending again"));
                    continue;
                }

                throw new TimeoutException(
                    $"No answer within {_grace.TotalSeconds:0.#} s of losing a connection to a silo (the call may have run): {context.InterfaceName}.{context.MethodName}.");
            }
        }
    }

    /// <summary>The current epoch's token; a fresh epoch when a stalled thread pool let the current one be cut off before it was replaced.</summary>
    private CancellationToken CurrentCutoff()
    {
        var epoch = Volatile.Read(ref _current);
        if (!epoch.Token.IsCancellationRequested)
        {
            return epoch.Token;
        }

        var fresh = new Epoch(_grace);
        return (Interlocked.CompareExchange(ref _current, fresh, epoch) == epoch ? fresh : Volatile.Read(ref _current)).Token;
    }

    /// <summary>A method with its own <see cref="ResponseTimeoutAttribute"/> may legitimately take longer than <see cref="Grace"/>.</summary>
    /// <remarks>Looked up once per method: this filter runs on every call a client makes.</remarks>
    internal static bool HasOwnTimeout(MethodInfo? method)
        => method is not null && OwnTimeouts.GetOrAdd(method, static m => m.GetCustomAttribute<ResponseTimeoutAttribute>() is not null);

    private static readonly ConcurrentDictionary<MethodInfo, bool> OwnTimeouts = new();

    /// <summary>The calls begun between two losses; cancelled <see cref="Grace"/> after the loss that ends it.</summary>
    private sealed class Epoch(TimeSpan grace)
    {
        private readonly CancellationTokenSource _cutoff = new();
        private int _cutting;

        public CancellationToken Token => _cutoff.Token;

        /// <returns>False when a cutoff has already begun.</returns>
        public bool BeginCutoff()
        {
            if (Interlocked.Exchange(ref _cutting, 1) == 1)
            {
                return false;
            }

            _cutoff.CancelAfter(grace);
            return true;
        }
    }
}
