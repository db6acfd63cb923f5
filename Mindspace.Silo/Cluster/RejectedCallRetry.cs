using System.Diagnostics;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// Sends a grain call again when a silo refused it without running it: a silo that is stopping
/// rejects calls that reach it in the last moments of its graceful stop (the grain moves), and
/// Orleans does not resend them. Without this, scaling in under load failed a few calls per stop.
/// </summary>
/// <remarks>
/// Only <see cref="OrleansMessageRejectionException"/> proper is retried: it means the receiving
/// silo rejected the message, so no grain ran it. Its subclass <see cref="SiloUnavailableException"/>
/// is not: it also reports a call that was in flight on a silo that died, which may have run, and a
/// write is never sent twice on a guess. A few short pauses cover the time the directory takes to
/// forget the stopping silo.
/// </remarks>
public sealed class RejectedCallRetry : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150)];

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (OrleansMessageRejectionException rejection) when (rejection is not SiloUnavailableException && attempt < Pauses.Length)
            {
                Activity.Current?.AddEvent(new ActivityEvent("grain call rejected; sending again"));
                await Task.Delay(Pauses[attempt]);
            }
        }
    }
}
