using System.Reflection;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Messaging;
using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime.Activation;

/// <summary>
/// One live grain: its instance, its mailbox and its lifecycle. Turns run on a per-activation
/// serial scheduler (<see cref="ActivationTaskScheduler"/>), so grain code is single-threaded; a non-reentrant grain also finishes one
/// turn (including its awaits) before the next starts.
/// </summary>
internal sealed class ActivationData : IGrainContext
{
    private readonly ActivationServices _runtime;
    private readonly Type _grainClass;
    private readonly bool _reentrant;
    private readonly Lock _lock = new();
    private readonly Queue<IWorkItem> _queue = new();
    private readonly ActivationTaskScheduler _scheduler = new();
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<Task>? _runningTurns; // reentrant activations only
    private List<RequestWorkItem>? _unanswered; // accepted calls without an answer yet, for the deadline sweep
    private RuntimeContext? _rootContext; // the context of calls that come from outside any grain
    private List<GrainTimer>? _timers;
    private ActivationStatus _status = ActivationStatus.Created;
    private bool _pumping;
    private DeactivationReason? _requestedDeactivation;
    private Grain? _grain;
    private long _lastUsedTicks = Environment.TickCount64;

    public ActivationData(GrainId grainId, Type grainClass, ActivationServices runtime)
    {
        GrainId = grainId;
        _grainClass = grainClass;
        _runtime = runtime;
        _reentrant = grainClass.IsDefined(typeof(ReentrantAttribute), inherit: true);
    }

    private enum ActivationStatus
    {
        Created,
        Valid,
        Deactivating,
        Invalid,
    }

    public GrainId GrainId { get; }

    public bool IsReentrant => _reentrant;

    /// <summary>Completes when the activation has gone away; calls that found it going should then retry.</summary>
    public Task Deactivated => _deactivated.Task;

    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastUsedTicks));

    public IGrainFactory GrainFactory => _runtime.GrainFactory;

    public IServiceProvider Services => _runtime.Services;

    public ReminderRegistry Reminders => _runtime.Reminders;

    public IStreamProvider Streams => _runtime.Streams;

    /// <summary>Queues a turn. False when the activation is going away (the caller retries on a new one).</summary>
    public bool TryEnqueue(IWorkItem item)
    {
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                return false;
            }

            if (item is DeactivationWorkItem)
            {
                _status = ActivationStatus.Deactivating;
            }

            _queue.Enqueue(item);
            if (item is RequestWorkItem request)
            {
                (_unanswered ??= []).Add(request);
            }

            if (!_pumping)
            {
                _pumping = true;
                _ = Task.Factory.StartNew(PumpAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
            }

            return true;
        }
    }

    public void RequestDeactivation(DeactivationReason reason) => _requestedDeactivation ??= reason;

    /// <summary>
    /// Answers every accepted call whose deadline has passed with a timeout, whether it is still
    /// queued or its turn is running (the turn goes on; its late answer is dropped). This is what
    /// keeps callers from waiting forever without a timer per call.
    /// </summary>
    /// <returns>How many calls timed out.</returns>
    public int FailExpiredCalls(DateTimeOffset now)
    {
        List<RequestWorkItem>? expired = null;
        lock (_lock)
        {
            if (_unanswered is not { Count: > 0 } unanswered)
            {
                return 0;
            }

            for (var i = unanswered.Count - 1; i >= 0; i--)
            {
                if (unanswered[i].Request.Deadline <= now)
                {
                    (expired ??= []).Add(unanswered[i]);
                    unanswered.RemoveAt(i);
                }
            }
        }

        foreach (var item in expired ?? [])
        {
            item.CancelDeadlineToken();
            var request = item.Request;
            item.Complete(GrainResponse.Failed(new TimeoutException(
                $"Call to {request.InterfaceName}.{request.MethodKey} on {request.Target} did not complete by its deadline.")));
        }

        return expired?.Count ?? 0;
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (_lock)
        {
            (_timers ??= []).Add(timer);
        }

        return timer;
    }

    public void ForgetTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            IWorkItem? item;
            lock (_lock)
            {
                if (!_queue.TryDequeue(out item))
                {
                    _pumping = false;
                    return;
                }
            }

            if (_status == ActivationStatus.Created && item is not DeactivationWorkItem && !await TryActivateAsync(item))
            {
                return;
            }

            if (item is DeactivationWorkItem deactivation)
            {
                await DeactivateAsync(deactivation.Reason);
                return;
            }

            var turn = RunTurnAsync(item);
            if (_reentrant)
            {
                (_runningTurns ??= []).Add(turn);
                _ = turn.ContinueWith(AfterReentrantTurn, CancellationToken.None, TaskContinuationOptions.None, _scheduler);
            }
            else
            {
                await turn;
                if (_requestedDeactivation is { } reason && TryBeginDeactivation())
                {
                    await DeactivateAsync(reason);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// A reentrant activation cannot stop between turns the way a non-reentrant one does, since
    /// others may be running: a requested deactivation is queued and waits for them.
    /// </summary>
    private void AfterReentrantTurn(Task turn)
    {
        _runningTurns!.Remove(turn);
        if (_requestedDeactivation is { } reason)
        {
            TryEnqueue(new DeactivationWorkItem(reason));
        }
    }

    private async Task<bool> TryActivateAsync(IWorkItem firstItem)
    {
        try
        {
            var (grain, states) = _runtime.Activator.Create(_grainClass, GrainId);
            grain.Context = this;
            foreach (var state in states)
            {
                await state.ReadStateAsync(CancellationToken.None);
            }

            await grain.OnActivateAsync(CancellationToken.None);
            _grain = grain;
            _status = ActivationStatus.Valid;
            return true;
        }
        catch (Exception exception)
        {
            exception = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
            RuntimeLog.ActivationFailed(_runtime.Logger, exception, GrainId);
            List<IWorkItem> failed = [firstItem];
            lock (_lock)
            {
                _status = ActivationStatus.Invalid;
                failed.AddRange(_queue);
                _queue.Clear();
                _pumping = false;
            }

            foreach (var item in failed.OfType<RequestWorkItem>())
            {
                item.Complete(GrainResponse.Failed(exception));
            }

            _runtime.Catalog.Remove(this);
            _deactivated.TrySetResult();
            return false;
        }
    }

    private async Task RunTurnAsync(IWorkItem item)
    {
        switch (item)
        {
            case RequestWorkItem request:
                Volatile.Write(ref _lastUsedTicks, Environment.TickCount64);
                var response = await InvokeAsync(request);
                lock (_lock)
                {
                    _unanswered?.Remove(request);
                }

                request.Complete(response);
                Volatile.Write(ref _lastUsedTicks, Environment.TickCount64);
                break;
            case TimerWorkItem tick:
                await RunTimerAsync(tick.Timer);
                break;
        }
    }

    private async Task<GrainResponse> InvokeAsync(RequestWorkItem item)
    {
        var request = item.Request;
        var remaining = request.Deadline - DateTimeOffset.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            return GrainResponse.Failed(new TimeoutException($"Call {request.InterfaceName}.{request.MethodKey} to {GrainId} expired before it could run."));
        }

        // Set inside this async method, so it flows into the grain's awaits and is gone when the method returns.
        RuntimeContext.Current = request.CallChain.Count == 0 ? _rootContext ??= new RuntimeContext(GrainId, []) : new RuntimeContext(GrainId, request.CallChain);
        try
        {
            var method = _runtime.Registry.GetMethod(request.InterfaceName, request.MethodKey);
            if (!method.InterfaceType.IsInstanceOfType(_grain))
            {
                throw new InvalidOperationException($"Grain {GrainId} does not implement {method.InterfaceType.Name}.");
            }

            var wireArguments = _runtime.Serializer.DeserializeArguments(request.Arguments, method.WireParameterTypes);
            // The token is cancelled by the deadline sweep, like the call itself: no timer per call.
            var token = method.CancellationTokenIndex >= 0 ? item.DeadlineToken() : CancellationToken.None;
            var task = method.Invoke(_grain!, method.CallArguments(wireArguments, token));
            await task;
            return method.ResultType is null
                ? GrainResponse.Completed
                : new GrainResponse(_runtime.Serializer.Serialize(method.ReadResult(task), method.ResultType), null);
        }
        catch (Exception exception)
        {
            if (exception is InconsistentStateException)
            {
                RequestDeactivation(DeactivationReason.InconsistentState);
            }

            return GrainResponse.Failed(exception);
        }
    }

    private async Task RunTimerAsync(GrainTimer timer)
    {
        try
        {
            if (!timer.IsDisposed)
            {
                RuntimeContext.Current = new RuntimeContext(GrainId, []);
                await timer.Callback(CancellationToken.None);
            }
        }
        catch (Exception exception)
        {
            if (exception is InconsistentStateException)
            {
                RequestDeactivation(DeactivationReason.InconsistentState);
            }

            RuntimeLog.TimerFailed(_runtime.Logger, exception, GrainId);
        }
        finally
        {
            RuntimeContext.Current = null;
            timer.TickCompleted();
        }
    }

    private bool TryBeginDeactivation()
    {
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                return false;
            }

            _status = ActivationStatus.Deactivating;
            return true;
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        while (_runningTurns is { Count: > 0 })
        {
            await Task.WhenAll(_runningTurns.ToArray());
        }

        GrainTimer[] timers;
        lock (_lock)
        {
            timers = _timers?.ToArray() ?? [];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        if (_grain is not null && _status != ActivationStatus.Created)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_runtime.Options.CallTimeout);
                RuntimeContext.Current = new RuntimeContext(GrainId, []);
                await _grain.OnDeactivateAsync(reason, timeout.Token);
            }
            catch (Exception exception)
            {
                RuntimeLog.DeactivationFailed(_runtime.Logger, exception, GrainId);
            }
            finally
            {
                RuntimeContext.Current = null;
            }
        }

        List<IWorkItem> leftover;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            leftover = [.. _queue];
            _queue.Clear();
            _pumping = false;
        }

        _runtime.Catalog.Remove(this);
        _deactivated.TrySetResult();
        RuntimeLog.Deactivated(_runtime.Logger, GrainId, reason);

        // Calls that queued behind the deactivation go to a fresh activation.
        foreach (var request in leftover.OfType<RequestWorkItem>())
        {
            _runtime.Catalog.Redeliver(request);
        }
    }
}

/// <summary>What every activation needs from the runtime, shared so each activation holds one reference.</summary>
internal sealed record ActivationServices(
    Catalog Catalog,
    GrainTypeRegistry Registry,
    GrainActivator Activator,
    Serialization.GrainSerializer Serializer,
    IGrainFactory GrainFactory,
    IServiceProvider Services,
    ReminderRegistry Reminders,
    IStreamProvider Streams,
    RuntimeOptions Options,
    ILogger Logger);
