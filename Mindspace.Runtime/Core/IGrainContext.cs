using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime;

/// <summary>What a grain instance sees of the runtime around it (its activation).</summary>
internal interface IGrainContext
{
    GrainId GrainId { get; }

    IGrainFactory GrainFactory { get; }

    IServiceProvider Services { get; }

    ReminderRegistry Reminders { get; }

    IStreamProvider Streams { get; }

    void RequestDeactivation(DeactivationReason reason);

    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);
}
