using System.Diagnostics;
using System.Reflection;
using Mindspace.Grains.Interfaces;
using Orleans.Concurrency;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// Sends a grain call again when a silo refused it without running it: a silo that is stopping
/// rejects calls that reach it in the last moments of its graceful stop (the grain moves), and
/// Orleans does not resend them. Without this, scaling in under load failed a few calls per stop.
/// </summary>
/// <remarks>
/// <para>
/// Only refusals are retried, never a call whose fate is unknown. <see cref="OrleansMessageRejectionException"/>
/// proper means the receiving silo rejected the message, so no grain ran it. Its subclass
/// <see cref="SiloUnavailableException"/> mostly reports a call that was in flight on a silo that died,
/// which may have run, and a write is never sent twice on a guess; the exceptions retried are
/// <see cref="IsRefusedByStoppingSilo"/> and any failure of a method that is safe to run twice
/// (<see cref="IsSafeToResend(MethodInfo?)"/>: <see cref="ReadOnlyAttribute"/> or <see cref="IdempotentAttribute"/>).
/// </para>
/// <para>A few short pauses cover the time the directory takes to forget the stopping silo.</para>
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
            catch (OrleansMessageRejectionException rejection) when ((IsRefusal(rejection) || IsSafeToResend(context)) && attempt < Pauses.Length)
            {
                Activity.Current?.AddEvent(new ActivityEvent("grain call rejected; sending again"));
                await Task.Delay(Pauses[attempt]);
            }
        }
    }

    /// <summary>
    /// A method marked <see cref="ReadOnlyAttribute"/> changes nothing, and one marked <see cref="IdempotentAttribute"/>
    /// leaves the same state however often it runs, so running either twice is harmless: it is sent again even
    /// when its first attempt was lost in flight on a silo that left (a check-in reading the profile's zone from a
    /// user grain whose silo was stopping failed the check-in before this). <c>ReadOnlyMethodTests</c> checks that
    /// no read-only method writes.
    /// </summary>
    internal static bool IsSafeToResend(IOutgoingGrainCallContext context) => IsSafeToResend(context.InterfaceMethod);

    internal static bool IsSafeToResend(MethodInfo? method) =>
        method?.GetCustomAttribute<ReadOnlyAttribute>() is not null || method?.GetCustomAttribute<IdempotentAttribute>() is not null;

    private static bool IsRefusal(OrleansMessageRejectionException rejection) =>
        rejection is not SiloUnavailableException || IsRefusedByStoppingSilo(rejection);

    /// <summary>
    /// A stopping silo that receives a call for a grain it no longer holds forwards it, and its placement
    /// service, already stopped, refuses to address it with <c>SiloUnavailableException("Silo '…' is shutting
    /// down.")</c> (Orleans' <c>PlacementService.CreateStoppingException</c>). The call never reached a grain.
    /// Orleans gives this refusal no type of its own, so its wording is what tells it apart from the
    /// in-flight failures ("The target silo became unavailable for message …", "The local Orleans host is
    /// shutting down and can no longer process the request …"), which are never retried.
    /// </summary>
    internal static bool IsRefusedByStoppingSilo(OrleansMessageRejectionException rejection) =>
        rejection is SiloUnavailableException
        && rejection.Message.StartsWith("Silo '", StringComparison.Ordinal)
        && rejection.Message.EndsWith("' is shutting down.", StringComparison.Ordinal);
}
