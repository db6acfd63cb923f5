namespace Mindspace.Silo;

/// <summary>Whether a process hosts grains or only calls them.</summary>
public enum SiloRole
{
    /// <summary>Hosts grains: the embedded process, a cluster silo, or a gateway with its silo in-process.</summary>
    HostsGrains,

    /// <summary>An Orleans client: hosts no grains and sends every call to the silos (<c>GATEWAY_ONLY</c>).</summary>
    ClientOnly,
}
