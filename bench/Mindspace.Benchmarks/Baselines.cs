using System.Threading.Channels;

namespace Mindspace.Benchmarks;

/// <summary>
/// The least an actor call can cost without Orleans: the request goes into a mailbox
/// (an unbounded single-reader <see cref="Channel{T}"/>), one loop per actor runs it on the
/// thread pool, and the answer comes back through a <see cref="TaskCompletionSource{T}"/> that
/// resumes the caller asynchronously (as a grain call's does). No message, no proxy, no
/// timeout, no activation lookup.
/// </summary>
public sealed class MailboxActor
{
    private readonly Channel<Request> _mailbox = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    public MailboxActor()
    {
        _ = Task.Run(RunAsync);
    }

    public Task<int> PingAsync(int value)
    {
        var request = new Request(value);
        _mailbox.Writer.TryWrite(request);
        return request.Task;
    }

    public void Stop() => _mailbox.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var request))
            {
                request.SetResult(request.Value + 1);
            }
        }
    }

    private sealed class Request(int value) : TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Value { get; } = value;
    }
}

/// <summary>
/// One hop through a per-actor <see cref="ConcurrentExclusiveSchedulerPair"/>: one-at-a-time turns
/// per actor, as an activation's scheduler gives them, without anything else (the baseline our own
/// runtime's activations were measured against).
/// </summary>
public sealed class ExclusiveSchedulerActor
{
    private readonly TaskFactory _factory = new(
        CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskContinuationOptions.None, new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler);

    public Task<int> PingAsync(int value) => _factory.StartNew(static v => (int)v! + 1, value);
}
