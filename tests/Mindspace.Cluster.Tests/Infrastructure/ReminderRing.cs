using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Mindspace.Cluster.Tests.Infrastructure;

/// <summary>
/// Which silo's reminder service is responsible for a grain's reminders. Orleans splits reminders
/// by a consistent ring over the grain's hash; a silo's share is its ring range.
/// </summary>
/// <remarks>
/// Orleans keeps the ring provider internal, so this reaches it by name. A test that kills the silo
/// owning a reminder needs to know which one that is; otherwise a kill that happened to own none
/// would pass without showing anything. If an Orleans upgrade renames the type, this throws with
/// the name it looked for.
/// </remarks>
public static class ReminderRing
{
    private const string ProviderTypeName = "Orleans.Runtime.ConsistentRing.IConsistentRingProvider";

    /// <summary>Whether <paramref name="silo"/>'s reminder service owns <paramref name="grain"/>'s reminders.</summary>
    public static bool Owns(InProcessSiloHandle silo, IAddressable grain)
    {
        var providerType = typeof(ISiloStatusOracle).Assembly.GetType(ProviderTypeName)
            ?? throw new InvalidOperationException($"Orleans no longer has {ProviderTypeName}; update {nameof(ReminderRing)}.");
        var provider = silo.ServiceProvider.GetRequiredService(providerType);
        var getRange = providerType.GetMethod("GetMyRange", BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{ProviderTypeName} no longer has GetMyRange; update {nameof(ReminderRing)}.");
        var range = (IRingRange)getRange.Invoke(provider, null)!;
        return range.InRange(grain.GetGrainId());
    }
}
